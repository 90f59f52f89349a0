package dev.netdisk.server.config;

import java.time.Duration;

/**
 * The limits that keep one client from starving the others ({@code docs/PROTOCOL.md} section 10
 * lists them with the replies given when one is hit). A count of {@code 0} means no limit.
 *
 * @param maxConnections          open connections in all (control and data)
 * @param maxConnectionsPerIp     open connections from one IP address
 * @param maxSessionsPerUser      logged-in connections of one user
 * @param maxTicketsPerUser       data tickets handed out to one user and not yet used
 * @param maxTransfersPerUser     data connections of one user moving bytes at once
 * @param idleTimeout             a logged-in control connection with no command for this long is closed
 * @param loginTimeout            a connection that has not logged in (or sent {@code DATA}) for this long is closed
 * @param lineTimeout             a line begun and not finished within this time closes the connection
 * @param transferStallTimeout    a data connection whose bytes stop moving for this long is closed
 * @param loginFailuresBeforeDelay failed logins (per user name and per IP) answered at once; later ones are delayed
 * @param maxLoginDelay           the longest delay of a failed login's reply (it doubles per failure)
 * @param loginFailuresBeforeLock failed logins after which the name or IP is locked out
 * @param loginLockTime           how long a lock-out lasts (failures older than this are forgotten)
 * @param registrationOpen        whether {@code REGISTER} is allowed
 * @param registrationsPerIpPerHour accounts one IP address may create per hour
 * @param maxQueuedOutputBytes    bytes of events queued for a client that does not read them, past
 *                                which the connection is dropped (replies do not count: a client's
 *                                commands wait while 256 KiB of its replies are unread)
 * @param chatPerSecond           chat messages one user may send per second, sustained; {@code 0}: no limit
 * @param chatBurst               chat messages one user may send at once after a pause (at least 1)
 */
public record Limits(
        int maxConnections,
        int maxConnectionsPerIp,
        int maxSessionsPerUser,
        int maxTicketsPerUser,
        int maxTransfersPerUser,
        Duration idleTimeout,
        Duration loginTimeout,
        Duration lineTimeout,
        Duration transferStallTimeout,
        int loginFailuresBeforeDelay,
        Duration maxLoginDelay,
        int loginFailuresBeforeLock,
        Duration loginLockTime,
        boolean registrationOpen,
        int registrationsPerIpPerHour,
        int maxQueuedOutputBytes,
        int chatPerSecond,
        int chatBurst) {

    /** The documented defaults. */
    public static Limits defaults() {
        return new Limits(20_000, 512, 64, 64, 16,
                Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ofSeconds(60), Duration.ofSeconds(60),
                3, Duration.ofSeconds(16), 10, Duration.ofMinutes(15),
                true, 20, 8 << 20, 10, 20);
    }

    /** Whether a count is within a limit where {@code 0} means none. */
    static boolean within(int count, int limit) {
        return limit == 0 || count < limit;
    }

    public Limits withTimeouts(Duration idle, Duration login, Duration line, Duration stall) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxSessionsPerUser, maxTicketsPerUser,
                maxTransfersPerUser, idle, login, line, stall, loginFailuresBeforeDelay, maxLoginDelay,
                loginFailuresBeforeLock, loginLockTime, registrationOpen, registrationsPerIpPerHour,
                maxQueuedOutputBytes, chatPerSecond, chatBurst);
    }

    public Limits withCounts(int connections, int perIp, int sessionsPerUser, int ticketsPerUser, int transfersPerUser) {
        return new Limits(connections, perIp, sessionsPerUser, ticketsPerUser, transfersPerUser, idleTimeout,
                loginTimeout, lineTimeout, transferStallTimeout, loginFailuresBeforeDelay, maxLoginDelay,
                loginFailuresBeforeLock, loginLockTime, registrationOpen, registrationsPerIpPerHour,
                maxQueuedOutputBytes, chatPerSecond, chatBurst);
    }

    public Limits withLoginThrottle(int failuresBeforeDelay, Duration maxDelay, int failuresBeforeLock, Duration lockTime) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxSessionsPerUser, maxTicketsPerUser,
                maxTransfersPerUser, idleTimeout, loginTimeout, lineTimeout, transferStallTimeout,
                failuresBeforeDelay, maxDelay, failuresBeforeLock, lockTime, registrationOpen, registrationsPerIpPerHour,
                maxQueuedOutputBytes, chatPerSecond, chatBurst);
    }

    public Limits withRegistration(boolean open, int perIpPerHour) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxSessionsPerUser, maxTicketsPerUser,
                maxTransfersPerUser, idleTimeout, loginTimeout, lineTimeout, transferStallTimeout,
                loginFailuresBeforeDelay, maxLoginDelay, loginFailuresBeforeLock, loginLockTime, open, perIpPerHour,
                maxQueuedOutputBytes, chatPerSecond, chatBurst);
    }

    public Limits withMaxQueuedOutputBytes(int bytes) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxSessionsPerUser, maxTicketsPerUser,
                maxTransfersPerUser, idleTimeout, loginTimeout, lineTimeout, transferStallTimeout,
                loginFailuresBeforeDelay, maxLoginDelay, loginFailuresBeforeLock, loginLockTime, registrationOpen,
                registrationsPerIpPerHour, bytes, chatPerSecond, chatBurst);
    }

    /**
     * @param perSecond chat messages per user per second, sustained; {@code 0}: no limit
     * @param burst     chat messages per user at once after a pause
     */
    public Limits withChatRate(int perSecond, int burst) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxSessionsPerUser, maxTicketsPerUser,
                maxTransfersPerUser, idleTimeout, loginTimeout, lineTimeout, transferStallTimeout,
                loginFailuresBeforeDelay, maxLoginDelay, loginFailuresBeforeLock, loginLockTime, registrationOpen,
                registrationsPerIpPerHour, maxQueuedOutputBytes, perSecond, burst);
    }
}
