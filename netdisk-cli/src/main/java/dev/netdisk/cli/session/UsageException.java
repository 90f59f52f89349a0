package dev.netdisk.cli.session;

/** The user asked for something malformed that picocli itself could not catch (a bad script line). */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
