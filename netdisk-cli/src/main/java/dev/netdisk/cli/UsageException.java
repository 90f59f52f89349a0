package dev.netdisk.cli;

/** The user asked for something malformed that picocli itself could not catch (a bad script line). */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
