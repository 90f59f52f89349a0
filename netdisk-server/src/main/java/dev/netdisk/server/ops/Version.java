package dev.netdisk.server.ops;

/** The server's version, from the jar's manifest (or {@code dev} when run from classes). */
public final class Version {
    private Version() {
    }

    /** The version, like {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
