package dev.netdisk.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed logins counted in the database (table {@code login_failures}, migration V013), so every
 * server sees the same counts: a guesser spreading tries over several servers is slowed and
 * locked out as on one. A row is a key ({@link dev.netdisk.server.auth.LoginThrottle} makes them:
 * an address, a name, a name from an address, bad tokens from an address), its failures in the
 * current window and the time of the last, in milliseconds since the epoch. The SQL runs unchanged
 * on SQLite and PostgreSQL.
 *
 * <p>Thread-safe; blocking (JDBC): workers only.
 */
public final class LoginFailures {

    /** A key's count: {@code failures} in the window that its last failure, at {@code lastAt}, belongs to. */
    public record Count(int failures, long lastAt) {
    }

    private static final String INCREMENT = "INSERT INTO login_failures (key, failures, last_at) VALUES (?, 1, ?)"
            + " ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.last_at < ? THEN 1"
            + " ELSE login_failures.failures + 1 END, last_at = excluded.last_at RETURNING failures";

    private final Database db;

    public LoginFailures(Database db) {
        this.db = db;
    }

    /** The counts of those of {@code keys} that have one (at most 4 keys). */
    public Map<String, Count> find(List<String> keys) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT key, failures, last_at FROM login_failures WHERE key IN (");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        String text = sql.append(')').toString();
        return db.read(c -> {
            PreparedStatement ps = Database.prepared(c, text);
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(i + 1, keys.get(i));
            }
            Map<String, Count> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Count(rs.getInt(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /**
     * Counts one failure against each of {@code keys} at {@code now}, in one transaction: a key
     * whose last failure is older than {@code windowStart} starts again at 1.
     *
     * @return the new counts, in the order of {@code keys}
     */
    public int[] increment(List<String> keys, long now, long windowStart) throws SQLException {
        return db.transaction(c -> {
            int[] counts = new int[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                counts[i] = increment(c, keys.get(i), now, windowStart);
            }
            return counts;
        });
    }

    private static int increment(Connection c, String key, long now, long windowStart) throws SQLException {
        PreparedStatement ps = Database.prepared(c, INCREMENT);
        ps.setString(1, key);
        ps.setLong(2, now);
        ps.setLong(3, windowStart);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Forgets {@code key}'s count, when it has one (a read first: most logins have none to forget). */
    public void clear(String key) throws SQLException {
        if (find(List.of(key)).isEmpty()) {
            return;
        }
        db.transaction(c -> {
            PreparedStatement ps = Database.prepared(c, "DELETE FROM login_failures WHERE key = ?");
            ps.setString(1, key);
            return ps.executeUpdate();
        });
    }

    /** Forgets {@code key} and every key that begins with {@code prefix}; returns how many. */
    public int clear(String key, String prefix) throws SQLException {
        return db.transaction(c -> {
            PreparedStatement ps = Database.prepared(c, "DELETE FROM login_failures"
                    + " WHERE key = ? OR substr(key, 1, ?) = ?");
            ps.setString(1, key);
            ps.setInt(2, prefix.length());
            ps.setString(3, prefix);
            return ps.executeUpdate();
        });
    }

    /** Deletes the counts whose last failure is before {@code windowStart}; returns how many. */
    public int purge(long windowStart) throws SQLException {
        return db.transaction(c -> {
            PreparedStatement ps = Database.prepared(c, "DELETE FROM login_failures WHERE last_at < ?");
            ps.setLong(1, windowStart);
            return ps.executeUpdate();
        });
    }
}
