package dev.netdisk.cli.client;

/**
 * One line of {@code SHARE LIST} (PROTOCOL.md section 9).
 *
 * @param outgoing true for a share you gave ({@code out}), false for one you can see ({@code in})
 * @param user     the recipient of an outgoing share, the owner of an incoming one
 * @param path     your path for an outgoing share, the path under {@code /shared} for an incoming one
 */
public record Share(boolean outgoing, String user, String path) {

    /** Parses {@code out RECIPIENT PATH} or {@code in OWNER PATH}; the path is the rest of the line. */
    static Share parse(String line) {
        String[] f = line.split(" ", 3);
        if (f.length < 3 || !(f[0].equals("out") || f[0].equals("in"))) {
            throw new IllegalArgumentException("malformed share line: " + line);
        }
        return new Share(f[0].equals("out"), f[1], f[2]);
    }
}
