package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
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
 * <p>Unfinished uploads count too (issue 22): every upload kept for resume ({@link PartialUploads})
 * reserves its whole announced size from {@code UPLOAD} until it is stored, or dropped (expired,
 * replaced, over the per-user cap), so uploads announced together can never exceed the quota
 * together, and the bytes kept for resume are inside that reservation. An upload not kept for resume
 * (a small file) reserves its size through its ticket's row ({@link TicketRows}, migration V015)
 * from {@code UPLOAD} until its commit, a refusal, or the ticket's end: in the database, so every
 * server sharing it counts it ({@code docs/ARCHITECTURE.md}, "Several servers"). The entries a user owns
 * (files and directories, trash included) are limited too; {@code users.entries} and
 * {@code users.chat_bytes} are running totals kept by the triggers of migration V010.
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

    /**
     * What {@code QUOTA} shows: every part of what a user makes the server keep, each with its limit.
     *
     * @param files      bytes of live files (not in the trash)
     * @param trash      bytes of files in the trash
     * @param uploads    bytes reserved by unfinished uploads (their kept bytes included)
     * @param limit      the storage quota, for {@code files + trash + uploads}
     * @param chat       bytes of the chat messages the user sent that are stored
     * @param chatLimit  the most {@code chat} may reach; 0: no limit
     * @param entries    files and directories the user owns, trash included
     * @param maxEntries the most {@code entries} may reach; 0: no limit
     */
    public record Breakdown(long files, long trash, long uploads, long limit, long chat, long chatLimit,
                            long entries, long maxEntries) {
        /** What counts against {@link #limit}. */
        public long used() {
            return files + trash + uploads;
        }
    }

    /** The reservations of unfinished uploads, in SQL: the announced sizes of the user's kept uploads. */
    private static final String UPLOADS = "(SELECT COALESCE(SUM(size), 0) FROM partial_uploads WHERE owner_id = users.id)";

    private final Database db;
    private final long defaultLimit;
    private final long maxEntries;
    private final long chatLimit;
    /** The time that tickets' expiry is compared with: the one they were issued by. */
    private final Clock clock;

    public Quotas(Database db, long defaultLimit) {
        this(db, defaultLimit, 0, 0, Clock.systemUTC());
    }

    /**
     * @param maxEntries files and directories one user may own, trash included; 0: no limit
     * @param chatLimit  bytes of stored chat messages one user may have sent; 0: no limit (shown by {@code QUOTA})
     * @param clock      the clock tickets are issued by (their rows' reservations count until they expire)
     */
    public Quotas(Database db, long defaultLimit, long maxEntries, long chatLimit, Clock clock) {
        this.db = db;
        this.defaultLimit = defaultLimit;
        this.maxEntries = maxEntries;
        this.chatLimit = chatLimit;
        this.clock = clock;
    }

    /** Every part of {@code userId}'s usage, for {@code QUOTA}. */
    public Breakdown breakdown(long userId) throws SQLException {
        return db.read(c -> {
            PreparedStatement ps = Database.prepared(c, "SELECT used_bytes, trash_bytes, " + UPLOADS
                    + ", quota_bytes, chat_bytes, entries FROM users WHERE id = ?");
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Breakdown(0, 0, 0, defaultLimit, 0, chatLimit, 0, maxEntries);
                }
                long limit = rs.getLong(4);
                if (rs.wasNull()) {
                    limit = defaultLimit;
                }
                long unkept = TicketRows.reservedBytes(c, userId, TicketRows.NO_PATH, -1, clock.millis());
                return new Breakdown(rs.getLong(1) - rs.getLong(2), rs.getLong(2),
                        rs.getLong(3) + unkept, limit, rs.getLong(5), chatLimit, rs.getLong(6),
                        maxEntries);
            }
        });
    }

    /**
     * {@code UPLOAD}'s check, before any byte moves: {@code needed} more bytes must fit besides
     * every reservation but the one of this very upload (a resume: its kept upload of the same
     * path and size already reserves it), and {@code newEntries} more entries must fit.
     *
     * @throws QuotaExceededException when they would not fit
     */
    public void checkUpload(long userId, RemotePath path, long size, long needed, int newEntries)
            throws SQLException, QuotaExceededException {
        QuotaExceededException refusal = db.read(c -> {
            try {
                checkUpload(c, userId, path, size, needed, newEntries);
            } catch (QuotaExceededException e) {
                return e;
            }
            return null;
        });
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Makes a reservation in {@link #reserveUnkeptUpload}'s transaction, after its check. */
    @FunctionalInterface
    public interface Reservation<X extends Exception> {
        /** Makes the reservation; {@code c} is the transaction's connection, for rows that commit with it. */
        void make(Connection c) throws X, SQLException;
    }

    /**
     * {@link #checkUpload} and then {@code reservation}, in one write transaction: the reservation of
     * an upload not kept for resume (a small file) is its ticket's row ({@link TicketRows}: its
     * {@code reserved_bytes}), inserted by {@code reservation} after the check that counts every
     * other one, kept uploads' included. On SQLite the transaction holds the one write lock; on
     * PostgreSQL two such transactions of one user read what the other writes, so SERIALIZABLE fails
     * one and runs it again (with {@code reservation}: its row rolled back with the lost attempt).
     * Either way uploads announced at one instant, on one server or several, never exceed the quota
     * together.
     *
     * @throws QuotaExceededException when the upload would not fit; {@code reservation} is not made
     * @throws X                      what {@code reservation} throws (the transaction holds no writes)
     */
    public <X extends Exception> void reserveUnkeptUpload(long userId, RemotePath path, long size, long needed,
                                                          int newEntries, Reservation<X> reservation)
            throws SQLException, QuotaExceededException, X {
        Exception[] failed = new Exception[1];
        db.transaction(c -> {
            failed[0] = null;
            try {
                checkUpload(c, userId, path, size, needed, newEntries);
                reservation.make(c);
            } catch (SQLException e) {
                throw e;
            } catch (Exception e) {
                failed[0] = e;
            }
            return null;
        });
        if (failed[0] instanceof QuotaExceededException e) {
            throw e;
        }
        if (failed[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failed[0] != null) {
            @SuppressWarnings("unchecked")
            X x = (X) failed[0];
            throw x;
        }
    }

    private void checkUpload(Connection c, long userId, RemotePath path, long size, long needed, int newEntries)
            throws SQLException, QuotaExceededException {
        Usage usage = usage(c, userId);
        long own = reservedBy(c, userId, path, size);
        // This very upload's own reservation, kept or not, is not counted against it.
        long others = TicketRows.reservedBytes(c, userId, path.toString(), size, clock.millis());
        check(new Usage(usage.used() - own + others, usage.trash(), usage.limit()), path.toString(), needed);
        checkEntries(c, userId, path.toString(), newEntries);
    }

    /** Bytes reserved by the kept uploads of {@code path} with this {@code size}: a resume's own reservation. */
    private static long reservedBy(Connection c, long userId, RemotePath path, long size) throws SQLException {
        PreparedStatement ps = Database.prepared(c, "SELECT COALESCE(SUM(size), 0) FROM partial_uploads"
                + " WHERE owner_id = ? AND path = ? AND size = ?");
        ps.setLong(1, userId);
        ps.setString(2, path.toString());
        ps.setLong(3, size);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * The refusal of a new kept upload of {@code size} bytes at {@code path}, or null when it fits,
     * inside the transaction that records it ({@link PartialUploads#create}): every reservation but
     * one of the same path and size counted, and what an overwritten file frees.
     */
    QuotaExceededException refusalOfNewUpload(Connection c, long userId, RemotePath path, long size) throws SQLException {
        Usage usage = usage(c, userId);
        long own = reservedBy(c, userId, path, size);
        long freed = StoreSql.find(c, userId, path).filter(n -> !n.directory()).map(n -> n.size()).orElse(0L);
        try {
            long others = TicketRows.reservedBytes(c, userId, path.toString(), size, clock.millis());
            check(new Usage(usage.used() - own + others, usage.trash(), usage.limit()), path.toString(), size - freed);
            return null;
        } catch (QuotaExceededException e) {
            return e;
        }
    }

    /** Refuses when {@code count} more files or directories would take {@code userId} past the entries limit. */
    public void checkEntries(long userId, String path, long count) throws SQLException, QuotaExceededException {
        QuotaExceededException refusal = db.read(c -> {
            try {
                checkEntries(c, userId, path, count);
                return null;
            } catch (QuotaExceededException e) {
                return e;
            }
        });
        if (refusal != null) {
            throw refusal;
        }
    }

    void checkEntries(Connection c, long userId, String path, long count) throws SQLException, QuotaExceededException {
        if (maxEntries == 0 || count <= 0) {
            return;
        }
        PreparedStatement ps = Database.prepared(c, "SELECT entries FROM users WHERE id = ?");
        ps.setLong(1, userId);
        long current;
        try (ResultSet rs = ps.executeQuery()) {
            current = rs.next() ? rs.getLong(1) : 0;
        }
        if (current + count > maxEntries) {
            throw QuotaExceededException.entries(path, count, current, maxEntries);
        }
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
        PreparedStatement ps = Database.prepared(c, "SELECT used_bytes + " + UPLOADS
                + ", trash_bytes, quota_bytes FROM users WHERE id = ?");
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
     * The usage of {@code userId} without the reservation of the kept upload {@code partialId} (the
     * one being committed, whose bytes become a file in the same transaction); any id that is not a
     * kept upload's ({@link PartialUploads#NOT_KEPT}) changes nothing.
     */
    Usage usageBesides(Connection c, long userId, long partialId) throws SQLException {
        Usage usage = usage(c, userId);
        PreparedStatement ps = Database.prepared(c, "SELECT size FROM partial_uploads WHERE id = ? AND owner_id = ?");
        ps.setLong(1, partialId);
        ps.setLong(2, userId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Usage(usage.used() - rs.getLong(1), usage.trash(), usage.limit()) : usage;
        }
    }

    /**
     * The usage of {@code userId} summed from the tree itself, the slow way (what the running
     * totals of {@link #usage(long)} must always equal): for tests and checks, never per request.
     */
    public Usage recount(long userId) throws SQLException {
        return db.read(c -> {
            long used = single(c, "SELECT COALESCE(SUM(size), 0) FROM nodes WHERE owner_id = ? AND is_dir = 0", userId)
                    + single(c, "SELECT COALESCE(SUM(size), 0) FROM partial_uploads WHERE owner_id = ?", userId);
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
