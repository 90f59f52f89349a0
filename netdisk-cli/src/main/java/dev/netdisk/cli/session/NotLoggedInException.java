package dev.netdisk.cli.session;

/** No way to log in: no user name, no saved session, no password source. Exits with {@link ExitCode#AUTH}. */
public final class NotLoggedInException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotLoggedInException(String message) {
        super(message);
    }
}
