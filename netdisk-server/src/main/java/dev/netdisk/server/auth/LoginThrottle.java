package dev.netdisk.server.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: failed logins are counted per user name and per IP address.
 * After {@code failuresBeforeDelay} failures each further failed reply is delayed, twice as long
 * each time up to {@code maxDelay}; after {@code failuresBeforeLock} the name or address is locked
 * out for {@code lockTime}, whatever password it sends. Failures older than {@code lockTime} are
 * forgotten. A successful login clears its user name's count (not its address's).
 *
 * <p>Names are counted whether or not the account exists, so the throttle tells an attacker
 * nothing about which names are real. Thread-safe.
 */
public final class LoginThrottle {

    private record Failures(int count, long lastNanos) {
    }

    private final int failuresBeforeDelay;
    private final Duration maxDelay;
    private final int failuresBeforeLock;
    private final Duration lockTime;
    private final LongSupplier nanoTime;
    private final Map<String, Failures> byKey = new ConcurrentHashMap<>();

    public LoginThrottle(int failuresBeforeDelay, Duration maxDelay, int failuresBeforeLock, Duration lockTime,
                         LongSupplier nanoTime) {
        this.failuresBeforeDelay = failuresBeforeDelay;
        this.maxDelay = maxDelay;
        this.failuresBeforeLock = failuresBeforeLock;
        this.lockTime = lockTime;
        this.nanoTime = nanoTime;
    }

    /** Whether logins as {@code name} or from {@code ip} are locked out now. */
    public boolean isLocked(String name, String ip) {
        return locked(nameKey(name)) || locked(ipKey(ip));
    }

    /**
     * Counts a failed login and returns how long its reply should wait.
     *
     * @return zero for the first few failures, then a doubling delay up to the maximum
     */
    public Duration failed(String name, String ip) {
        int byName = increment(nameKey(name));
        int byIp = increment(ipKey(ip));
        return delayFor(Math.max(byName, byIp));
    }

    private Duration delayFor(int worst) {
        if (worst <= failuresBeforeDelay) {
            return Duration.ZERO;
        }
        int doublings = Math.min(worst - failuresBeforeDelay - 1, 30);
        Duration delay = Duration.ofMillis(250L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Counts a failure that names no user (a bad session token) against {@code ip} only. */
    public Duration failedFromAddress(String ip) {
        return delayFor(increment(ipKey(ip)));
    }

    /** Whether logins from {@code ip} are locked out now. */
    public boolean isAddressLocked(String ip) {
        return locked(ipKey(ip));
    }

    /** Clears the failures counted against {@code name}. */
    public void succeeded(String name) {
        byKey.remove(nameKey(name));
    }

    /** Forgets failures older than the lock time, so the map does not grow without bound. */
    public void purge() {
        long now = nanoTime.getAsLong();
        byKey.values().removeIf(f -> now - f.lastNanos() > lockTime.toNanos());
    }

    private boolean locked(String key) {
        Failures f = byKey.get(key);
        return f != null && failuresBeforeLock > 0 && f.count() >= failuresBeforeLock
                && nanoTime.getAsLong() - f.lastNanos() <= lockTime.toNanos();
    }

    private int increment(String key) {
        long now = nanoTime.getAsLong();
        return byKey.compute(key, (k, f) -> f == null || now - f.lastNanos() > lockTime.toNanos()
                ? new Failures(1, now) : new Failures(f.count() + 1, now)).count();
    }

    private static String nameKey(String name) {
        return "name:" + name.toLowerCase(java.util.Locale.ROOT);
    }

    private static String ipKey(String ip) {
        return "ip:" + ip;
    }
}
