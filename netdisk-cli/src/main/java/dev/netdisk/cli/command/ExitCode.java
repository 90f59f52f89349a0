package dev.netdisk.cli.command;

/**
 * The process exit codes of {@code netdisk}, documented in {@code docs/CLI.md}. {@link Failures}
 * is the one place that decides which failure gets which code.
 */
public enum ExitCode {
    OK(0, "success"),
    FAILURE(1, "unexpected failure (a bug; the message says what)"),
    USAGE(2, "usage error: unknown command or option, missing or malformed argument"),
    CONNECTION(3, "cannot connect to the server, or the connection broke"),
    AUTH(4, "not logged in: wrong password, token expired or revoked, or no credentials available (reply 530)"),
    REFUSED(5, "the server refused the command: a permanent 5xx reply (no such file, already exists, ...)"),
    TRANSIENT(6, "the server refused the command for now: a 4xx reply (busy, not online, disk full); retrying may work"),
    INTEGRITY(7, "integrity failure: the MD5 checksum did not match, nothing was stored or replaced"),
    LOCAL(8, "local file error: missing, already exists, not readable or writable"),
    LOCKED_OUT(9, "login refused for a while after too many failed logins from this address (or for this user);"
            + " a saved session is kept: try again later"),
    DISABLED(10, "the account is disabled by the server's administrator"),
    CANCELLED(130, "cancelled by the user (Ctrl-C); a partial transfer is kept for resume");

    private final int value;
    private final String meaning;

    ExitCode(int value, String meaning) {
        this.value = value;
        this.meaning = meaning;
    }

    public int value() {
        return value;
    }

    String meaning() {
        return meaning;
    }
}
