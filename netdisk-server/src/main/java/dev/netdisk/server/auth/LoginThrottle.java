package dev.netdisk.server.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing without handing an attacker a way to lock the real user out
 * (OWASP's authentication guidance; Nextcloud's brute-force protection). Failed password logins are
 * counted three ways:
 *
 * <ul>
 *   <li>per IP address: after {@code failuresBeforeDelay} failures each further failed reply is
 *       delayed, twice as long each time up to {@code maxDelay}; after {@code failuresBeforeLock}
 *       the address is locked out for {@code lockTime}, for every name;</li>
 *   <li>per (user name, address): the same delays; after {@code failuresBeforeLock} that name is
 *       locked out <em>from that address</em>;</li>
 *   <li>per user name, from all addresses together: the same delays, so guessing from many
 *       addresses slows down too; after {@code failuresBeforeLock} the name is refused from every
 *       address that has failed a login recently (a <em>dirty</em> address), but never from a
 *       <em>clean</em> one, so the real user, from an address that has not failed, always gets in
 *       with the right password.</li>
 * </ul>
 *
 * <p>Session-token logins are counted apart, per address: password failures never slow or refuse
 * them, and bad tokens never count against a name. Failures older than {@code lockTime} are
 * forgotten; a successful login clears its (name, address) count only. Names are counted whether
 * or not the account exists, so the throttle tells nothing about which names are real.
 *
 * <p>Thread-safe.
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

    /**
     * Whether a password login as {@code name} from {@code ip} is refused now without looking at
     * the password: the address is locked, the name is locked from this address, or the name is
     * under attack and this address has failed before.
     */
    public boolean isLocked(String name, String ip) {
        return locked(ipKey(ip)) || locked(userIpKey(name, ip)) || locked(userKey(name)) && !isClean(ip);
    }

    /**
     * Counts a failed password login and returns how long its reply should wait.
     *
     * @return zero for the first few failures, then a doubling delay up to the maximum
     */
    public Duration failed(String name, String ip) {
        int byIp = increment(ipKey(ip));
        int byUserIp = increment(userIpKey(name, ip));
        int byUser = increment(userKey(name));
        return delayFor(Math.max(byIp, Math.max(byUserIp, byUser)));
    }

    private Duration delayFor(int worst) {
        if (worst <= failuresBeforeDelay) {
            return Duration.ZERO;
        }
        int doublings = Math.min(worst - failuresBeforeDelay - 1, 30);
        Duration delay = Duration.ofMillis(250L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Counts a bad session token from {@code ip}: tokens have their own count, apart from passwords. */
    public Duration failedToken(String ip) {
        return delayFor(increment(tokenKey(ip)));
    }

    /** Whether token logins from {@code ip} are locked out now (by bad tokens only). */
    public boolean isTokenLocked(String ip) {
        return locked(tokenKey(ip));
    }

    /** A password login as {@code name} from {@code ip} succeeded: clears that pair's failures. */
    public void succeeded(String name, String ip) {
        byKey.remove(userIpKey(name, ip));
    }

    /**
     * Clears every count against {@code name}, from all addresses ({@code netdisk-server user
     * unlock}); returns how many counts there were.
     */
    public int unlock(String name) {
        String user = userKey(name);
        String pairs = "user-ip:" + name.toLowerCase(java.util.Locale.ROOT) + "|";
        int[] removed = {0};
        byKey.keySet().removeIf(k -> {
            boolean hit = k.equals(user) || k.startsWith(pairs);
            removed[0] += hit ? 1 : 0;
            return hit;
        });
        return removed[0];
    }

    /** Forgets failures older than the lock time, so the map does not grow without bound. */
    public void purge() {
        long now = nanoTime.getAsLong();
        byKey.values().removeIf(f -> now - f.lastNanos() > lockTime.toNanos());
    }

    /** Whether {@code ip} has no recent failed password login, for any name. */
    private boolean isClean(String ip) {
        Failures f = byKey.get(ipKey(ip));
        return f == null || nanoTime.getAsLong() - f.lastNanos() > lockTime.toNanos();
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

    private static String userKey(String name) {
        return "user:" + name.toLowerCase(java.util.Locale.ROOT);
    }

    private static String userIpKey(String name, String ip) {
        // '|' is not allowed in names, so no pair's key is another's prefix.
        return "user-ip:" + name.toLowerCase(java.util.Locale.ROOT) + "|" + ip;
    }

    private static String ipKey(String ip) {
        return "ip:" + ip;
    }

    private static String tokenKey(String ip) {
        return "token-ip:" + ip;
    }
}
