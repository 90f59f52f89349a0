package dev.netdisk.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The rows behind data tickets and upload leases (migration V013): what every server sees, so a
 * data connection may reach another server than the one that issued its ticket, and an upload cut
 * off on one server may resume on another. The SQL runs unchanged on SQLite and PostgreSQL.
 *
 * <p>A ticket row is <em>unused</em> ({@code taken_at} null), then <em>running</em> (taken by the
 * server instance {@code holder}, which renews {@code lease_until} while its transfer runs) and
 * deleted when the transfer ends; a revoked unused row keeps its reason until it expires. A running
 * row marked revoked tells its holder to stop the transfer ({@link #revokedRunning}). A lease
 * row names the instance receiving a kept upload and is free once {@code lease_until} has passed.
 *
 * <p>Thread-safe; blocking (JDBC): workers only.
 */
public final class TicketRows {

    /** What {@link #take} found. */
    public sealed interface Taken {
    }

    /** The ticket was taken: its grant and owner. */
    public record Granted(long userId, byte[] grant) implements Taken {
    }

    /** The ticket was taken, but its user already runs the most transfers allowed (the row is gone). */
    public record TooMany() implements Taken {
    }

    /** No such unused, unexpired ticket; {@code revokedWhy} when it was revoked. */
    public record Refused(Optional<String> revokedWhy) implements Taken {
    }

    /**
     * What the ticket of an upload not kept for resume (a small file) reserves against its user's
     * quota until the file is stored or the ticket ends: the announced size, the path and the blob
     * id it will be stored under.
     */
    public record Reservation(long bytes, String path, String blobId) {
    }

    private static final String GATE = "INSERT INTO transfer_gates (user_id, touched_at) VALUES (?, ?)"
            + " ON CONFLICT (user_id) DO UPDATE SET touched_at = excluded.touched_at";
    private static final String COUNT_UNUSED = "SELECT count(*) FROM data_tickets WHERE user_id = ?"
            + " AND taken_at IS NULL AND revoked IS NULL AND expires_at > ?";
    private static final String COUNT_RUNNING = "SELECT count(*) FROM data_tickets WHERE user_id = ?"
            + " AND taken_at IS NOT NULL AND holder <> ? AND lease_until > ?";
    private static final String INSERT = "INSERT INTO data_tickets (id_hash, user_id, grant_bytes, expires_at,"
            + " reserved_bytes, reserved_path, reserved_blob) VALUES (?, ?, ?, ?, ?, ?, ?)";
    /**
     * The reservations of a user's unkept uploads that count: unused, unrevoked and unexpired, or
     * running (a row whose holder died stops counting when its lease runs out), but for those of
     * one path and size. A row's {@code reserved_path} is set whenever its {@code reserved_bytes} is.
     */
    private static final String RESERVED = "SELECT COALESCE(SUM(reserved_bytes), 0) FROM data_tickets"
            + " WHERE user_id = ? AND reserved_bytes > 0"
            + " AND ((taken_at IS NULL AND revoked IS NULL AND expires_at > ?) OR (taken_at IS NOT NULL AND lease_until > ?))"
            + " AND (reserved_path <> ? OR reserved_bytes <> ?)";
    private static final String END_RESERVATION = "UPDATE data_tickets SET reserved_bytes = 0"
            + " WHERE user_id = ? AND reserved_blob = ? AND reserved_bytes > 0";
    private static final String TAKE = "UPDATE data_tickets SET taken_at = ?, holder = ?, lease_until = ?"
            + " WHERE id_hash = ? AND taken_at IS NULL AND revoked IS NULL AND expires_at > ?"
            + " RETURNING user_id, grant_bytes";

    private final Database db;

    public TicketRows(Database db) {
        this.db = db;
    }

    /**
     * Stores an unused ticket in its own transaction ({@link #insert}).
     *
     * @return false when {@code userId} already holds {@code maxUnused} unused tickets
     */
    public boolean insert(byte[] idHash, long userId, byte[] grant, long expiresAt, long now, int maxUnused,
                          Reservation reserved) throws SQLException {
        return db.transaction(c -> insert(c, idHash, userId, grant, expiresAt, now, maxUnused, reserved));
    }

    /**
     * Stores an unused ticket inside the caller's write transaction on {@code c} (UPLOAD's quota
     * check), after counting the user's unused ones under their gate row's lock.
     *
     * @param maxUnused unused tickets a user may hold; 0 for no limit (no count, no gate)
     * @param reserved  what the ticket reserves against the quota ({@link #reservedBytes}), or null
     * @return false when the user already holds {@code maxUnused}; nothing is written then
     */
    public boolean insert(Connection c, byte[] idHash, long userId, byte[] grant, long expiresAt, long now,
                          int maxUnused, Reservation reserved) throws SQLException {
        if (maxUnused > 0) {
            gate(c, userId, now);
            if (count(c, COUNT_UNUSED, userId, now) >= maxUnused) {
                return false;
            }
        }
        PreparedStatement ps = statement(c, INSERT);
        ps.setBytes(1, idHash);
        ps.setLong(2, userId);
        ps.setBytes(3, grant);
        ps.setLong(4, expiresAt);
        ps.setLong(5, reserved == null ? 0 : reserved.bytes());
        ps.setString(6, reserved == null ? null : reserved.path());
        ps.setString(7, reserved == null ? null : reserved.blobId());
        ps.executeUpdate();
        return true;
    }

    /**
     * Bytes reserved by {@code userId}'s unkept uploads at {@code now} (milliseconds since the
     * epoch): their tickets unused and unexpired, or running; but for those of {@code exceptPath}
     * with {@code exceptSize} (a second {@code UPLOAD} of the same file does not count the first
     * one's ticket against itself; {@link #NO_PATH}: none). Inside the caller's transaction: the
     * quota check that the new reservation's insert follows.
     */
    static long reservedBytes(Connection c, long userId, String exceptPath, long exceptSize, long now)
            throws SQLException {
        PreparedStatement ps = statement(c, RESERVED);
        ps.setLong(1, userId);
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setString(4, exceptPath);
        ps.setLong(5, exceptSize);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** An {@code exceptPath} for {@link #reservedBytes} that no upload has: every reservation counts. */
    static final String NO_PATH = "";

    /**
     * Ends the reservation of {@code userId}'s unkept upload into blob {@code blobId}, inside the
     * caller's transaction: the commit that stores the file (its bytes now count as the file's), or
     * refuses it. The ticket row itself stays until its transfer ends.
     */
    static void endReservation(Connection c, long userId, String blobId) throws SQLException {
        PreparedStatement ps = statement(c, END_RESERVATION);
        ps.setLong(1, userId);
        ps.setString(2, blobId);
        ps.executeUpdate();
    }

    /** {@link #endReservation(Connection, long, String)} in its own transaction: an upload refused before its commit. */
    public void endReservation(long userId, String blobId) throws SQLException {
        db.transaction(c -> {
            endReservation(c, userId, blobId);
            return null;
        });
    }

    /**
     * Admits a transfer of a user on this instance, under the user's gate lock: {@code elsewhere}
     * transfers run on other instances; true takes a slot of this instance's own count.
     */
    @FunctionalInterface
    public interface Admission {
        boolean admit(long userId, long elsewhere);
    }

    /**
     * Takes the unused, unexpired ticket {@code idHash} for {@code holder} in one conditional
     * UPDATE (so of two servers racing, one gets it), then asks {@code admission} whether the user
     * may run one more transfer: this instance counts its own in memory (a transfer ends on the
     * selector thread, which must not wait for the database, so its row is deleted a little
     * later), the rows count the others'.
     *
     * @param limited    whether there is a limit to check (false: {@code elsewhere} is 0, no gate)
     * @param leaseUntil until when the running row counts unless {@code holder} renews it
     */
    public Taken take(byte[] idHash, String holder, long now, long leaseUntil, boolean limited, Admission admission)
            throws SQLException {
        return db.transaction(c -> {
            PreparedStatement take = statement(c, TAKE);
            take.setLong(1, now);
            take.setString(2, holder);
            take.setLong(3, leaseUntil);
            take.setBytes(4, idHash);
            take.setLong(5, now);
            long userId;
            byte[] grant;
            try (ResultSet rs = take.executeQuery()) {
                if (!rs.next()) {
                    return new Refused(revokedWhy(c, idHash));
                }
                userId = rs.getLong(1);
                grant = rs.getBytes(2);
            }
            long elsewhere = 0;
            if (limited) {
                gate(c, userId, now);
                PreparedStatement ps = statement(c, COUNT_RUNNING);
                ps.setLong(1, userId);
                ps.setString(2, holder);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    elsewhere = rs.getLong(1);
                }
            }
            if (!admission.admit(userId, elsewhere)) {
                delete(c, idHash);
                return new TooMany();
            }
            return new Granted(userId, grant);
        });
    }

    private static Optional<String> revokedWhy(Connection c, byte[] idHash) throws SQLException {
        PreparedStatement ps = statement(c, "SELECT revoked FROM data_tickets WHERE id_hash = ?");
        ps.setBytes(1, idHash);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    /**
     * Marks the ticket {@code idHash} revoked with reason {@code why}: unused, it can no longer be
     * taken; running, its holder stops it. False when there is no such row or it was revoked already.
     */
    public boolean revoke(byte[] idHash, String why) throws SQLException {
        return db.transaction(c -> {
            PreparedStatement ps = statement(c, "UPDATE data_tickets SET revoked = ?"
                    + " WHERE id_hash = ? AND revoked IS NULL");
            ps.setString(1, why);
            ps.setBytes(2, idHash);
            return ps.executeUpdate() == 1;
        });
    }

    /**
     * Revokes every ticket of the user named {@code name} (lower case), unused or running, with
     * reason {@code why}, whichever server issued it or runs it ({@code user disable}, {@code user
     * passwd}); returns how many.
     */
    public int revokeUser(String name, String why) throws SQLException {
        return db.transaction(c -> {
            PreparedStatement ps = statement(c, "UPDATE data_tickets SET revoked = ?"
                    + " WHERE revoked IS NULL AND user_id = (SELECT id FROM users WHERE name = ?)");
            ps.setString(1, why);
            ps.setString(2, name);
            return ps.executeUpdate();
        });
    }

    /**
     * The transfers that instance {@code holder} runs on tickets revoked since they were taken
     * (by another server, or by this one for a ticket it did not know it ran).
     *
     * @return each ticket's id hash (lower-case hex) and the reason it was revoked for
     */
    public java.util.Map<String, String> revokedRunning(String holder) throws SQLException {
        return db.read(c -> {
            PreparedStatement ps = statement(c, "SELECT id_hash, revoked FROM data_tickets"
                    + " WHERE holder = ? AND taken_at IS NOT NULL AND revoked IS NOT NULL");
            ps.setString(1, holder);
            java.util.Map<String, String> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(java.util.HexFormat.of().formatHex(rs.getBytes(1)), rs.getString(2));
                }
            }
            return out;
        });
    }

    /** The transfer of {@code idHash} ended: its row goes. */
    public void ended(byte[] idHash) throws SQLException {
        endedAll(java.util.List.of(idHash), java.util.List.of(), null);
    }

    /**
     * The transfers of {@code idHashes} ended and {@code holder} let go of its leases on
     * {@code blobIds}: their rows go, in one transaction (ends arrive in bursts; one commit serves them).
     */
    public void endedAll(java.util.List<byte[]> idHashes, java.util.List<String> blobIds, String holder)
            throws SQLException {
        db.transaction(c -> {
            for (byte[] idHash : idHashes) {
                delete(c, idHash);
            }
            for (String blobId : blobIds) {
                PreparedStatement ps = statement(c, "DELETE FROM upload_leases WHERE blob_id = ? AND holder = ?");
                ps.setString(1, blobId);
                ps.setString(2, holder);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Renews what instance {@code holder} runs: its running tickets and its upload leases, until
     * {@code leaseUntil}. Returns how many rows.
     */
    public int renew(String holder, long leaseUntil) throws SQLException {
        return db.transaction(c -> {
            int n = 0;
            for (String sql : new String[] {
                "UPDATE data_tickets SET lease_until = ? WHERE holder = ? AND taken_at IS NOT NULL",
                "UPDATE upload_leases SET lease_until = ? WHERE holder = ?"}) {
                PreparedStatement ps = statement(c, sql);
                ps.setLong(1, leaseUntil);
                ps.setString(2, holder);
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    /**
     * Deletes unused tickets past their expiry (revoked ones {@code keepRevokedMillis} later, so
     * {@code DATA} can still say why), running ones whose lease ran out (their server died), and
     * free upload leases. Returns how many rows.
     */
    public int sweep(long now, long keepRevokedMillis) throws SQLException {
        return db.transaction(c -> {
            int n = 0;
            PreparedStatement unused = statement(c, "DELETE FROM data_tickets WHERE taken_at IS NULL"
                    + " AND ((revoked IS NULL AND expires_at <= ?) OR expires_at <= ?)");
            unused.setLong(1, now);
            unused.setLong(2, now - keepRevokedMillis);
            n += unused.executeUpdate();
            PreparedStatement running = statement(c, "DELETE FROM data_tickets WHERE taken_at IS NOT NULL"
                    + " AND lease_until <= ?");
            running.setLong(1, now);
            n += running.executeUpdate();
            PreparedStatement leases = statement(c, "DELETE FROM upload_leases WHERE lease_until <= ?");
            leases.setLong(1, now);
            n += leases.executeUpdate();
            return n;
        });
    }

    /**
     * Leases the kept upload in blob {@code blobId} to {@code holder} until {@code leaseUntil}: taken
     * when there is no lease, or it ran out, or {@code holder} has it already (a lease of this
     * instance whose release has not reached the database yet).
     *
     * @return false when another instance holds a live lease
     */
    public boolean lease(String blobId, String holder, long now, long leaseUntil) throws SQLException {
        return db.transaction(c -> {
            PreparedStatement ps = statement(c, "INSERT INTO upload_leases (blob_id, holder, lease_until)"
                    + " VALUES (?, ?, ?) ON CONFLICT (blob_id) DO UPDATE"
                    + " SET holder = excluded.holder, lease_until = excluded.lease_until"
                    + " WHERE upload_leases.lease_until <= ? OR upload_leases.holder = excluded.holder");
            ps.setString(1, blobId);
            ps.setString(2, holder);
            ps.setLong(3, leaseUntil);
            ps.setLong(4, now);
            return ps.executeUpdate() == 1;
        });
    }

    /** Whether an instance other than {@code holder} holds a live lease on blob {@code blobId}. */
    public boolean leasedElsewhere(String blobId, String holder, long now) throws SQLException {
        return db.read(c -> {
            PreparedStatement ps = statement(c, "SELECT 1 FROM upload_leases"
                    + " WHERE blob_id = ? AND holder <> ? AND lease_until > ?");
            ps.setString(1, blobId);
            ps.setString(2, holder);
            ps.setLong(3, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /**
     * Deletes every row instance {@code holder} runs (its running tickets, its upload leases): a
     * graceful stop, whose transfers were closed, frees them at once instead of after their lease.
     */
    public void releaseAll(String holder) throws SQLException {
        db.transaction(c -> {
            for (String sql : new String[] {"DELETE FROM data_tickets WHERE holder = ? AND taken_at IS NOT NULL",
                "DELETE FROM upload_leases WHERE holder = ?"}) {
                PreparedStatement ps = statement(c, sql);
                ps.setString(1, holder);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void gate(Connection c, long userId, long now) throws SQLException {
        PreparedStatement ps = statement(c, GATE);
        ps.setLong(1, userId);
        ps.setLong(2, now);
        ps.executeUpdate();
    }

    private static long count(Connection c, String sql, long userId, long now) throws SQLException {
        PreparedStatement ps = statement(c, sql);
        ps.setLong(1, userId);
        ps.setLong(2, now);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void delete(Connection c, byte[] idHash) throws SQLException {
        PreparedStatement ps = statement(c, "DELETE FROM data_tickets WHERE id_hash = ?");
        ps.setBytes(1, idHash);
        ps.executeUpdate();
    }

    /** The pooled connection's cached statement for {@code sql} ({@link Database#prepared}). */
    private static PreparedStatement statement(Connection c, String sql) throws SQLException {
        return Database.prepared(c, sql);
    }
}
