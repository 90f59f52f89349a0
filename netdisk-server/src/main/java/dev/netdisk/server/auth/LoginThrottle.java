package dev.netdisk.server.auth;

import dev.netdisk.server.store.LoginFailures;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * <p>The counts live in the database ({@link LoginFailures}), so they hold across all the servers
 * on one database and across restarts; times are wall-clock milliseconds, which every server
 * shares (their clocks kept in step by NTP, as a database cluster needs anyway).
 *
 * <p>Thread-safe; blocking (JDBC): workers only.
 */
public final class LoginThrottle {

    private final int failuresBeforeDelay;
    private final Duration maxDelay;
    private final int failuresBeforeLock;
    private final Duration lockTime;
    private final LoginFailures store;
    private final LongSupplier millis;

    /**
     * @param store  where the counts live
     * @param millis the wall clock, in milliseconds since the epoch ({@code System::currentTimeMillis})
     */
    public LoginThrottle(int failuresBeforeDelay, Duration maxDelay, int failuresBeforeLock, Duration lockTime,
                         LoginFailures store, LongSupplier millis) {
        this.failuresBeforeDelay = failuresBeforeDelay;
        this.maxDelay = maxDelay;
        this.failuresBeforeLock = failuresBeforeLock;
        this.lockTime = lockTime;
        this.store = store;
        this.millis = millis;
    }

    /**
     * Whether a password login as {@code name} from {@code ip} is refused now without looking at
     * the password: the address is locked, the name is locked from this address, or the name is
     * under attack and this address has failed before.
     */
    public boolean isLocked(String name, String ip) throws SQLException {
        String byIp = ipKey(ip);
        String byUserIp = userIpKey(name, ip);
        String byUser = userKey(name);
        Map<String, LoginFailures.Count> counts = store.find(List.of(byIp, byUserIp, byUser));
        long now = millis.getAsLong();
        LoginFailures.Count ipCount = counts.get(byIp);
        boolean clean = ipCount == null || now - ipCount.lastAt() > lockTime.toMillis();
        return locked(ipCount, now) || locked(counts.get(byUserIp), now) || locked(counts.get(byUser), now) && !clean;
    }

    /**
     * Counts a failed password login and returns how long its reply should wait.
     *
     * @return zero for the first few failures, then a doubling delay up to the maximum
     */
    public Duration failed(String name, String ip) throws SQLException {
        int[] counts = increment(List.of(ipKey(ip), userIpKey(name, ip), userKey(name)));
        return delayFor(Math.max(counts[0], Math.max(counts[1], counts[2])));
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
    public Duration failedToken(String ip) throws SQLException {
        return delayFor(increment(List.of(tokenKey(ip)))[0]);
    }

    /** Whether token logins from {@code ip} are locked out now (by bad tokens only). */
    public boolean isTokenLocked(String ip) throws SQLException {
        String key = tokenKey(ip);
        return locked(store.find(List.of(key)).get(key), millis.getAsLong());
    }

    /** A password login as {@code name} from {@code ip} succeeded: clears that pair's failures. */
    public void succeeded(String name, String ip) throws SQLException {
        store.clear(userIpKey(name, ip));
    }

    /**
     * Clears every count against {@code name}, from all addresses ({@code netdisk-server user
     * unlock}); returns how many counts there were.
     */
    public int unlock(String name) throws SQLException {
        return unlock(store, name);
    }

    /** {@link #unlock(String)} on {@code store}, with or without a server running ({@code user unlock}). */
    public static int unlock(LoginFailures store, String name) throws SQLException {
        return store.clear(userKey(name), "user-ip:" + name.toLowerCase(java.util.Locale.ROOT) + "|");
    }

    /** Forgets failures older than the lock time, so the table does not grow without bound. */
    public void purge() throws SQLException {
        store.purge(millis.getAsLong() - lockTime.toMillis());
    }

    private boolean locked(LoginFailures.Count f, long now) {
        return f != null && failuresBeforeLock > 0 && f.failures() >= failuresBeforeLock
                && now - f.lastAt() <= lockTime.toMillis();
    }

    private int[] increment(List<String> keys) throws SQLException {
        long now = millis.getAsLong();
        return store.increment(keys, now, now - lockTime.toMillis());
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
