package dev.netdisk.server.cluster;

import dev.netdisk.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who listens on which server, in the database (tables {@code servers} and {@code presence},
 * migration V013): each server instance keeps a row with its heartbeat and a row per user with a
 * listening connection on it. A server whose heartbeat is older than {@code deadAfter} is dead:
 * whichever live server sweeps first deletes its row, and with it learns (one {@code DELETE ...
 * RETURNING}, so only one server does) which of its users now listen nowhere; those get the usual
 * "went offline" event, once. The SQL runs unchanged on SQLite and PostgreSQL; it matters only
 * with several servers ({@link PgEventBus}).
 *
 * <p>Thread-safe; blocking (JDBC): workers only.
 */
public final class ClusterPresence {

    /** Runs work in one write transaction: {@code Database::transaction}, or a plain connection's in tests. */
    public interface Transactions {
        <T> T transaction(Database.Work<T> work) throws SQLException;
    }

    /** How often a server refreshes its heartbeat and looks for dead ones. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** A heartbeat older than this marks its server dead: three missed beats. */
    public static final Duration DEAD_AFTER = HEARTBEAT.multipliedBy(3);

    private final Transactions db;
    private final EventBus bus;
    private final String name;
    private final Clock clock;
    private final Duration deadAfter;

    /**
     * @param name      what the operator calls this server (host:port), shown next to its instance id
     * @param deadAfter how old a heartbeat may be before its server counts as dead
     */
    public ClusterPresence(Transactions db, EventBus bus, String name, Clock clock, Duration deadAfter) {
        this.db = db;
        this.bus = bus;
        this.name = name;
        this.clock = clock;
        this.deadAfter = deadAfter;
    }

    /**
     * The servers running on the database {@code db} now, as their operators call them (host:port):
     * those whose heartbeat is younger than {@link #DEAD_AFTER}. Empty on SQLite, whose one server
     * keeps no row. For administrative commands that must not run beside a server.
     */
    public static List<String> liveServers(Database db, Clock clock) throws SQLException {
        return db.read(c -> {
            List<String> names = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM servers WHERE heartbeat_at > ? ORDER BY name")) {
                ps.setLong(1, clock.millis() - DEAD_AFTER.toMillis());
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            return names;
        });
    }

    /** Writes this instance's heartbeat (at start, then every {@link #HEARTBEAT}). */
    public void heartbeat() throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO servers (server_id, name, heartbeat_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (server_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at")) {
                ps.setString(1, bus.origin());
                ps.setString(2, name);
                ps.setLong(3, clock.millis());
                return ps.executeUpdate();
            }
        });
    }

    /** User {@code userId}'s first listening connection on this server began: records it, then tells the others. */
    public void joined(long userId, String userName) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence (server_id, user_id) VALUES (?, ?)"
                    + " ON CONFLICT (server_id, user_id) DO NOTHING")) {
                ps.setString(1, bus.origin());
                ps.setLong(2, userId);
                return ps.executeUpdate();
            }
        });
        bus.publish(ClusterEvent.presence(ClusterEvent.Kind.ONLINE, bus.origin(), userId, userName));
    }

    /** User {@code userId}'s last listening connection on this server ended: forgets it, then tells the others. */
    public void left(long userId, String userName) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence WHERE server_id = ? AND user_id = ?")) {
                ps.setString(1, bus.origin());
                ps.setLong(2, userId);
                return ps.executeUpdate();
            }
        });
        bus.publish(ClusterEvent.presence(ClusterEvent.Kind.OFFLINE, bus.origin(), userId, userName));
    }

    /**
     * Sweeps the servers whose heartbeat stopped: deletes their rows and, for each of their users
     * who now listens on no server, publishes one {@link ClusterEvent.Kind#OFFLINE} (named after
     * the dead server, as if it had said so) and returns it, for this server's own sessions.
     * Of several servers sweeping at once, only one gets each dead server's rows.
     */
    public List<ClusterEvent> sweepDead() throws SQLException {
        long deadline = clock.millis() - deadAfter.toMillis();
        List<ClusterEvent> offline = db.transaction(c -> {
            List<String> dead = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM servers WHERE heartbeat_at < ? RETURNING server_id")) {
                ps.setLong(1, deadline);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dead.add(rs.getString(1));
                    }
                }
            }
            List<ClusterEvent> events = new ArrayList<>();
            for (String server : dead) {
                for (Map.Entry<Long, String> user : dropPresence(c, server).entrySet()) {
                    if (!listensAnywhere(c, user.getKey())) {
                        events.add(ClusterEvent.presence(ClusterEvent.Kind.OFFLINE, server, user.getKey(),
                                user.getValue()));
                    }
                }
            }
            return events;
        });
        offline.forEach(bus::publish);
        return offline;
    }

    /** Deletes a dead server's presence rows; returns their users, id to name. */
    private static Map<Long, String> dropPresence(Connection c, String server) throws SQLException {
        Map<Long, String> users = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence WHERE server_id = ? RETURNING user_id")) {
            ps.setString(1, server);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.put(rs.getLong(1), null);
                }
            }
        }
        for (Map.Entry<Long, String> u : users.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
                ps.setLong(1, u.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    u.setValue(rs.next() ? rs.getString(1) : "?");
                }
            }
        }
        return users;
    }

    private static boolean listensAnywhere(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM presence WHERE user_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A graceful stop: this instance's rows go (its connections were closed, their users told). */
    public void leave() throws SQLException {
        db.transaction(c -> {
            for (String sql : new String[] {"DELETE FROM presence WHERE server_id = ?",
                "DELETE FROM servers WHERE server_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, bus.origin());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }
}
