package dev.netdisk.server.net;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the selector does when {@code accept} fails (out of file descriptors, {@code EMFILE} or
 * {@code ENFILE}, or out of buffers): stop accepting for a while instead of spinning. The pending
 * connection keeps the listening socket ready, so without a pause the selector would loop on it at
 * full CPU and log on every turn. The pause doubles from {@link #FIRST_PAUSE} to {@link #MAX_PAUSE}
 * while accepting keeps failing and starts again from the first once one succeeds.
 *
 * <p>Also counts refused and failed connections so that the log gets one line per
 * {@link #REPORT_INTERVAL} with counts, whatever the rate of failures.
 *
 * <p>Selector thread only.
 */
final class AcceptBackoff {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

    private final LongSupplier nanoTime;
    private Duration pause = FIRST_PAUSE;
    private boolean paused;
    private long failures;
    private long refusals;
    private String lastError;
    private String lastRefusal;
    private long nextReportNanos;
    private boolean reportedAny;

    AcceptBackoff(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextReportNanos = nanoTime.getAsLong();
    }

    /** Accepting failed: returns how long to stop accepting. */
    Duration failed(String error) {
        failures++;
        lastError = error;
        Duration now = pause;
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        paused = true;
        return now;
    }

    /** Whether accepting is paused (between {@link #failed} and {@link #resumed}). */
    boolean paused() {
        return paused;
    }

    /** The pause ended: accepting is tried again. */
    void resumed() {
        paused = false;
    }

    /** An accept succeeded: the next failure pauses for the shortest time again. */
    void succeeded() {
        pause = FIRST_PAUSE;
    }

    /** A connection was refused (too many connections) with reason {@code why}. */
    void refused(String why) {
        refusals++;
        lastRefusal = why;
    }

    /**
     * The log line due now, or null: at most one per {@link #REPORT_INTERVAL}, and only when
     * something was counted since the last one. The counts restart after each report.
     */
    String reportDue(int openConnections) {
        long now = nanoTime.getAsLong();
        if (failures == 0 && refusals == 0 || now - nextReportNanos < 0) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        if (failures > 0) {
            line.append("accept failed ").append(failures).append(" time(s)")
                    .append(reportedAny ? " since the last report" : "")
                    .append(" (").append(lastError).append("); not accepting for up to ")
                    .append(MAX_PAUSE.toMillis()).append(" ms at a time");
        }
        if (refusals > 0) {
            if (line.length() > 0) {
                line.append("; ");
            }
            line.append("refused ").append(refusals).append(" connection(s)")
                    .append(reportedAny ? " since the last report" : "")
                    .append(" (").append(lastRefusal).append(")");
        }
        line.append("; ").append(openConnections).append(" connection(s) open and served");
        failures = 0;
        refusals = 0;
        reportedAny = true;
        nextReportNanos = now + TimeUnit.MILLISECONDS.toNanos(REPORT_INTERVAL.toMillis());
        return line.toString();
    }
}
