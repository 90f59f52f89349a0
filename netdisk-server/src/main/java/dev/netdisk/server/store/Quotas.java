package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * Storage quotas and tree sizes. A user's usage is the sum of the sizes of every file they own,
 * live or in the trash; a copy counts in full, although its bytes are shared on disk (what a user
 * is charged for must not depend on what others did). Directories count 0.
 *
 * <p>The usage is not summed per request: {@code users.used_bytes} and {@code users.trash_bytes}
 * are running totals kept by SQLite triggers (migration {@code V005__usage_totals.sql}) in the
 * same transaction as every insert, update and delete of {@code nodes} and {@code trash} rows, so
 * {@link #check} costs one row read. {@link #recount} sums the tree the slow way, to check them.
 *
 * <p>Thread-safe; blocking (JDBC).
 */
public final class Quotas {

    /**
     * One user's usage.
     *
     * @param used  bytes of every file owned, trash included
     * @param trash the part of {@code used} that is in the trash
     * @param limit the quota in bytes
     */
    public record Usage(long used, long trash, long limit) {
        /** Bytes that may still be stored, never negative. */
        public long free() {
            return Math.max(0, limit - used);
        }
    }

    /** The size of a tree: total bytes of its files, how many files, how many directories (itself included). */
    public record Tally(long bytes, long files, long directories) {
    }

    private final Database db;
    private final long defaultLimit;

    public Quotas(Database db, long defaultLimit) {
        this.db = db;
        this.defaultLimit = defaultLimit;
    }

    /** The usage and quota of {@code userId}. */
    public Usage usage(long userId) throws SQLException {
        return db.read(c -> usage(c, userId));
    }

    /** Sets the quota of {@code userId}; empty goes back to the server's default. */
    public void setLimit(long userId, OptionalLong bytes) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET quota_bytes = ? WHERE id = ?")) {
                if (bytes.isPresent()) {
                    ps.setLong(1, bytes.getAsLong());
                } else {
                    ps.setNull(1, java.sql.Types.INTEGER);
                }
                ps.setLong(2, userId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Refuses when {@code needed} more bytes would not fit in {@code userId}'s quota.
     *
     * @param path what the bytes are for, named in the refusal
     * @throws QuotaExceededException when they would not fit
     */
    public void check(long userId, String path, long needed) throws SQLException, QuotaExceededException {
        Usage usage = usage(userId);
        check(usage, path, needed);
    }

    static void check(Usage usage, String path, long needed) throws QuotaExceededException {
        if (needed > 0 && needed > usage.limit() - usage.used()) {
            throw new QuotaExceededException(path, needed, usage.used(), usage.limit());
        }
    }

    /** O(1): the running totals that the triggers of migration V005 keep in the same transaction as every change. */
    Usage usage(Connection c, long userId) throws SQLException {
        PreparedStatement ps = Database.prepared(c, "SELECT used_bytes, trash_bytes, quota_bytes FROM users WHERE id = ?");
        ps.setLong(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Usage(0, 0, defaultLimit);
            }
            long used = rs.getLong(1);
            long trash = rs.getLong(2);
            // users.quota_bytes (V002) is NULL for a user on the server's default, as `netdisk-server user quota` sets it.
            long limit = rs.getLong(3);
            if (rs.wasNull()) {
                limit = defaultLimit;
            }
            return new Usage(used, trash, limit);
        }
    }

    /**
     * The usage of {@code userId} summed from the tree itself, the slow way (what the running
     * totals of {@link #usage(long)} must always equal): for tests and checks, never per request.
     */
    public Usage recount(long userId) throws SQLException {
        return db.read(c -> {
            long used = single(c, "SELECT COALESCE(SUM(size), 0) FROM nodes WHERE owner_id = ? AND is_dir = 0", userId);
            long trash = single(c, "WITH RECURSIVE sub(id) AS (SELECT node_id FROM trash WHERE owner_id = ? UNION ALL"
                    + " SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id)"
                    + " SELECT COALESCE(SUM(n.size), 0) FROM nodes n JOIN sub ON n.id = sub.id WHERE n.is_dir = 0", userId);
            return new Usage(used, trash, usage(c, userId).limit());
        });
    }

    /**
     * The size of the tree at {@code path} (a file is a tree of one), in the user's own tree or in
     * the {@code /shared} view.
     *
     * @throws NoSuchFileException when nothing is there
     */
    public Tally du(long userId, RemotePath path) throws SQLException, NoSuchFileException {
        Tally tally = db.read(c -> {
            var node = StoreSql.find(c, userId, path);
            return node.isEmpty() ? null : StoreSql.tally(c, node.get().id());
        });
        if (tally == null) {
            throw new NoSuchFileException(path.toString());
        }
        return tally;
    }

    private static long single(Connection c, String sql, long param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
