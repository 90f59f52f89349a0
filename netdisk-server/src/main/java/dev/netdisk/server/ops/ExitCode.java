package dev.netdisk.server.ops;

/**
 * The exit codes of {@code netdisk-server} and its subcommands. {@code status} follows the LSB
 * init-script convention (0 running, 3 not running, 4 unknown), so service managers understand it.
 */
public enum ExitCode {
    /** Done; for {@code status}: running. */
    OK(0),
    /** Could not do it: the server cannot start, a command failed. The reason is on stderr. */
    FAILURE(1),
    /** A usage or configuration error: bad option, unknown config key, bad value. */
    USAGE(2),
    /** {@code status}: the server is not running. */
    NOT_RUNNING(3),
    /** {@code status}: the state cannot be told (unreadable pid file). */
    UNKNOWN(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
