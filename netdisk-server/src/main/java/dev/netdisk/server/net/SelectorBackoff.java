package dev.netdisk.server.net;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the selector thread does when a turn of its loop fails for lack of a resource (issue 22,
 * point 1: exhaustion is a state, not a loop): {@code select()} throwing an {@link
 * java.io.IOException}, an {@link OutOfMemoryError} while a buffer is allocated, a channel's
 * registration failing. The thread survives: it pauses before the next turn, for a time that
 * doubles from {@link AcceptBackoff#FIRST_PAUSE} to {@link AcceptBackoff#MAX_PAUSE} while turns keep
 * failing and starts again from the first after a turn that succeeds; open connections are served
 * as soon as a turn works again. A failure that only cost one connection (it was closed to free
 * what it held) is counted without a pause.
 *
 * <p>Failures are counted and logged once per {@link AcceptBackoff#REPORT_INTERVAL} with counts,
 * never once per turn (the pause and the report keep a failing selector from writing tens of MB of
 * log a second).
 *
 * <p>Selector thread only, but for {@link #total}.
 */
final class SelectorBackoff {

    private final LongSupplier nanoTime;
    private Duration pause = AcceptBackoff.FIRST_PAUSE;
    private long failures;
    private volatile long total;
    private String lastError;
    /** The last failure since the report that is no resource error but a bug (a RuntimeException), or null. */
    private RuntimeException lastBug;
    private long nextReportNanos;
    private boolean reportedAny;

    SelectorBackoff(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextReportNanos = nanoTime.getAsLong();
    }

    /** A turn of the loop failed with {@code error}: returns how long to pause before the next. */
    Duration failed(Throwable error) {
        counted(error);
        Duration now = pause;
        Duration doubled = pause.multipliedBy(2);
        pause = doubled.compareTo(AcceptBackoff.MAX_PAUSE) > 0 ? AcceptBackoff.MAX_PAUSE : doubled;
        return now;
    }

    /** Something failed that needs no pause (one connection was closed for it): counted only. */
    void counted(Throwable error) {
        failures++;
        total++;
        lastError = describe(error);
        if (error instanceof RuntimeException bug) {
            lastBug = bug;
        }
    }

    /**
     * The bug among the failures of the report just made, to log with it (its stack trace, once per
     * interval), or null when they were all resource errors; forgotten once asked.
     */
    RuntimeException takeBug() {
        RuntimeException bug = lastBug;
        lastBug = null;
        return bug;
    }

    /** A turn succeeded: the next failure pauses for the shortest time again. */
    void succeeded() {
        pause = AcceptBackoff.FIRST_PAUSE;
    }

    /** Failures counted since the start; any thread. */
    long total() {
        return total;
    }

    /**
     * The log line due now, or null: at most one per {@link AcceptBackoff#REPORT_INTERVAL}, and only
     * when something failed since the last one. The count restarts after each report.
     */
    String reportDue(int openConnections) {
        long now = nanoTime.getAsLong();
        if (failures == 0 || now - nextReportNanos < 0) {
            return null;
        }
        String line = "selector turn failed " + failures + " time(s)" + (reportedAny ? " since the last report" : "")
                + " (" + lastError + "); pausing up to " + AcceptBackoff.MAX_PAUSE.toMillis()
                + " ms between failing turns; " + openConnections + " connection(s) open";
        failures = 0;
        reportedAny = true;
        nextReportNanos = now + TimeUnit.MILLISECONDS.toNanos(AcceptBackoff.REPORT_INTERVAL.toMillis());
        return line;
    }

    private static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
