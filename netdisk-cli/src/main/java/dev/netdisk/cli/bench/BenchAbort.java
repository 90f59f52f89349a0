package dev.netdisk.cli.bench;

import dev.netdisk.protocol.ReplyException;

/** The bench cannot go on (a server limit, a refused setup step); the message is the one line to print. */
final class BenchAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    BenchAbort(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /**
     * Wraps a failure of {@code step}: a refusal caused by a server limit says which setting lifts it;
     * anything else says what failed.
     */
    static BenchAbort of(String step, Exception e) {
        if (e instanceof BenchAbort abort) {
            return abort;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String fix = LimitHint.fixFor(message);
        if (fix != null) {
            return new BenchAbort("refused by a server limit while " + step + ": " + message + "; " + fix
                    + " (see docs/PERFORMANCE.md)", BenchCommand.EXIT_TRANSIENT, e);
        }
        int code = e instanceof ReplyException r
                ? (r.isTransient() ? BenchCommand.EXIT_TRANSIENT : BenchCommand.EXIT_REFUSED)
                : BenchCommand.EXIT_CONNECTION;
        return new BenchAbort(step + " failed: " + message, code, e);
    }
}
