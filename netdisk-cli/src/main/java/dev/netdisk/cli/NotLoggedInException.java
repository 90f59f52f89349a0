package dev.netdisk.cli;

/** No way to log in: no user name, no saved session, no password source. Exits with {@link ExitCode#AUTH}. */
final class NotLoggedInException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotLoggedInException(String message) {
        super(message);
    }
}
