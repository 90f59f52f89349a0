package dev.netdisk.cli.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps one sender at or below a rate (the server allows 10 chat messages per second per user,
 * with a burst of 20: docs/PROTOCOL.md section 7). A fixed schedule, not a fixed pause, so the
 * rate holds whatever the latency; a sender that fell far behind starts a new schedule instead of
 * bursting past the server's bucket.
 *
 * <p>The senders of one run are spread over the interval ({@link #spread}): with one shared start,
 * every sender sends in the same instant, and the latency then measures the queue behind each
 * burst, not the server.
 *
 * <p>Not thread-safe: one per sending thread.
 */
final class Pacer {

    private final long intervalNanos;
    private long next;

    /**
     * @param perSecond sends per second; 0 or less: no pacing
     * @param phase     where in the first interval the first send is due, from 0 (at once) to 1
     */
    Pacer(double perSecond, double phase) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1e9 / perSecond);
        this.next = System.nanoTime() + (long) (phase * intervalNanos);
    }

    /** {@code count} pacers at {@code perSecond} each, their first sends evenly spread over one interval. */
    static Pacer[] spread(int count, double perSecond) {
        Pacer[] pacers = new Pacer[count];
        for (int i = 0; i < count; i++) {
            pacers[i] = new Pacer(perSecond, (double) i / count);
        }
        return pacers;
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
