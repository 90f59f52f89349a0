package dev.netdisk.server.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per user: {@code burst} messages at once, refilled at {@code perSecond}.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<Long, double[]> buckets = new ConcurrentHashMap<>();

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

    /** Takes one token for {@code userId}; false when the bucket is empty (the message is refused). */
    public boolean tryAcquire(long userId) {
        long now = nanoTime.getAsLong();
        boolean[] granted = new boolean[1];
        // bucket = {tokens, last refill in nanos}
        buckets.compute(userId, (id, bucket) -> {
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
}
