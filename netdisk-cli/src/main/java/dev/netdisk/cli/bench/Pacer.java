package dev.netdisk.cli.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps one sender at or below a rate (the server allows 10 chat messages per second per user,
 * with a burst of 20: docs/PROTOCOL.md section 7). A fixed schedule, not a fixed pause, so the
 * rate holds whatever the latency; a sender that fell far behind starts a new schedule instead of
 * bursting past the server's bucket.
 *
 * <p>Not thread-safe: one per sending thread.
 */
final class Pacer {

    private final long intervalNanos;
    private long next;

    Pacer(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1e9 / perSecond);
        this.next = System.nanoTime();
    }

    /** Waits until the next send is due. */
    void await() {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next < now - 10 * intervalNanos) {
            next = now;
        }
        while ((now = System.nanoTime()) < next) {
            LockSupport.parkNanos(next - now);
        }
        next += intervalNanos;
    }
}
