package dev.netdisk.server.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a user, an address): {@code burst} actions at once, refilled at
 * {@code perSecond}. Used for chat messages and registrations.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter<K> {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<K, double[]> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond messages per second a user may send, sustained
     * @param burst     messages a user may send at once after a pause
     * @param nanoTime  the clock, {@code System::nanoTime} outside tests
     */
    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one token for {@code key}; false when the bucket is empty (the action is refused). */
    public boolean tryAcquire(K key) {
        long now = nanoTime.getAsLong();
        boolean[] granted = new boolean[1];
        // bucket = {tokens, last refill in nanos}
        buckets.compute(key, (k, bucket) -> {
            double[] b = bucket == null ? new double[] {burst, now} : bucket;
            b[0] = Math.min(burst, b[0] + (now - (long) b[1]) / 1e9 * perSecond);
            b[1] = now;
            if (b[0] >= 1) {
                b[0] -= 1;
                granted[0] = true;
            }
            return b;
        });
        return granted[0];
    }

    /** Drops the buckets that have refilled completely: they hold nothing a new bucket would not. */
    public void purge() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(b -> b[0] + (now - (long) b[1]) / 1e9 * perSecond >= burst);
    }
}
