package dev.netdisk.server.net;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * The selector thread's timers: tasks due at a time, run in deadline order (equal deadlines in the
 * order they were added) between selects, and how long the next select may block for them.
 *
 * <p>Selector thread only ({@link EventLoop#schedule} hands a timer over from other threads).
 */
final class SelectorTimers {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** A task due at {@code dueNanos}; equal deadlines run in the order they were added. */
    private record Timer(long dueNanos, long sequence, Runnable task) {
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::sequence));
    private long sequence;

    /** Runs {@code task} once {@code System.nanoTime()} reaches {@code dueNanos}. */
    void add(long dueNanos, Runnable task) {
        timers.add(new Timer(dueNanos, sequence++, task));
    }

    /** How long a select may block, in milliseconds: until the next timer is due, at most {@code tickMillis}. */
    long selectTimeoutMillis(long tickMillis) {
        Timer next = timers.peek();
        if (next == null) {
            return tickMillis;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(next.dueNanos() - System.nanoTime());
        return Math.max(1, Math.min(tickMillis, millis + 1));
    }

    /** Runs every timer that is due; one that throws is logged and the others still run. */
    void runDue() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos() - now <= 0) {
            try {
                timers.poll().task().run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "selector timer failed", e);
            }
        }
    }
}
