package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Uploads that have not completed, kept so that the same upload (same user, path, size and MD5)
 * can resume where it stopped. An upload whose MD5 follows its bytes is kept under
 * {@link #DEFERRED_MD5} instead of an MD5, so it resumes by user, path and size. The bytes are in {@link BlobStore#partialPath}; this table says
 * whose they are.
 *
 * <p>Thread-safe; blocking (JDBC).
 */
public final class PartialUploads {

    /**
     * One kept upload.
     *
     * @param id     the row id, or {@link #NOT_KEPT}
     * @param blobId the id of the partial blob file (of the stored file's content, for a small file)
     */
    public record Partial(long id, long ownerId, String path, long size, String md5, String blobId) {

        /** Whether the upload has a row, and so bytes kept for resume. */
        public boolean kept() {
            return id != NOT_KEPT;
        }
    }

    /** The id of an upload that is not kept: a small file's ({@link InlineBlobs}), sent whole each time. */
    public static final long NOT_KEPT = 0;

    /**
     * An upload that has no row and keeps nothing for resume: a small file, whose bytes go to the
     * database when it is stored ({@link InlineBlobs}). Saves the row's two writes per file.
     */
    public static Partial notKept(long ownerId, RemotePath path, long size, String md5, String blobId) {
        return new Partial(NOT_KEPT, ownerId, path.toString(), size, md5, blobId);
    }

    /** The {@code md5} of a kept upload whose MD5 the client sends after the bytes. */
    public static final String DEFERRED_MD5 = "-";

    private final Database db;
    private final Clock clock;
    private final int maxPerUser;
    private final long maxBytesPerUser;
    private final Consumer<String> dropBlob;
    private final Predicate<String> inUse;
    private final Quotas quotas;

    public PartialUploads(Database db, Clock clock) {
        this(db, clock, 0, 0, blobId -> { }, blobId -> false, null);
    }

    /**
     * @param maxPerUser      kept uploads per user; past it the oldest idle ones are dropped; 0: no limit
     * @param maxBytesPerUser announced bytes of a user's kept uploads; past it the oldest idle ones are
     *                        dropped, never the newest; 0: no limit
     * @param dropBlob        deletes the partial blob file of a dropped upload
     * @param inUse           whether the upload whose bytes are in a blob is being received now (never dropped)
     * @param quotas          checked again inside {@link #create}'s transaction, so that uploads announced
     *                        at the same instant on several connections cannot pass the quota together;
     *                        null: not checked here
     */
    public PartialUploads(Database db, Clock clock, int maxPerUser, long maxBytesPerUser, Consumer<String> dropBlob,
                          Predicate<String> inUse, Quotas quotas) {
        this.quotas = quotas;
        this.db = db;
        this.clock = clock;
        this.maxPerUser = maxPerUser;
        this.maxBytesPerUser = maxBytesPerUser;
        this.dropBlob = dropBlob;
        this.inUse = inUse;
    }

    /** A kept upload's row id, blob and announced size, oldest use first. */
    private record Kept(long id, String blobId, long size) {
    }

    /**
     * Drops {@code ownerId}'s oldest idle kept uploads (not {@code keepId}) while they are more, or
     * announce more bytes, than the per-user caps; returns the blob ids dropped.
     */
    private List<String> enforceCaps(Connection c, long ownerId, long keepId) throws SQLException {
        if (maxPerUser == 0 && maxBytesPerUser == 0) {
            return List.of();
        }
        List<Kept> kept = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, blob_id, size FROM partial_uploads WHERE owner_id = ? ORDER BY updated_at, id")) {
            ps.setLong(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kept.add(new Kept(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        int count = kept.size();
        long bytes = kept.stream().mapToLong(Kept::size).sum();
        List<String> dropped = new ArrayList<>();
        for (Kept k : kept) {
            boolean over = maxPerUser > 0 && count > maxPerUser || maxBytesPerUser > 0 && bytes > maxBytesPerUser;
            if (!over) {
                break;
            }
            if (k.id() == keepId || inUse.test(k.blobId())) {
                continue;
            }
            delete(c, k.id());
            dropped.add(k.blobId());
            count--;
            bytes -= k.size();
        }
        return dropped;
    }

    /** The kept upload of this exact file, if any. */
    public Optional<Partial> find(long ownerId, RemotePath path, long size, String md5) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, blob_id FROM partial_uploads WHERE owner_id = ? AND path = ? AND size = ? AND md5 = ?")) {
                ps.setLong(1, ownerId);
                ps.setString(2, path.toString());
                ps.setLong(3, size);
                ps.setString(4, md5);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Partial(rs.getLong(1), ownerId, path.toString(), size, md5, rs.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * Records a new kept upload whose bytes will be in the blob {@code blobId}; when one for the same
     * file was recorded meanwhile, returns that one instead.
     */
    public Partial create(long ownerId, RemotePath path, long size, String md5, String blobId)
            throws SQLException, QuotaExceededException {
        List<String> dropped = new ArrayList<>();
        QuotaExceededException[] refused = new QuotaExceededException[1];
        Partial created = db.transaction(c -> {
            dropped.clear();
            // The reservation is made under the write lock that the check holds: atomic.
            refused[0] = quotas == null ? null : quotas.refusalOfNewUpload(c, ownerId, path, size);
            if (refused[0] != null) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO partial_uploads (owner_id, path, size, md5, blob_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (owner_id, path, size, md5) DO UPDATE SET updated_at = excluded.updated_at"
                            + " RETURNING id, blob_id")) {
                ps.setLong(1, ownerId);
                ps.setString(2, path.toString());
                ps.setLong(3, size);
                ps.setString(4, md5);
                ps.setString(5, blobId);
                ps.setLong(6, clock.millis());
                Partial p;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    p = new Partial(rs.getLong(1), ownerId, path.toString(), size, md5, rs.getString(2));
                }
                dropped.addAll(enforceCaps(c, ownerId, p.id()));
                return p;
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
        // After the commit: a dropped upload's bytes go only once its row is gone for good.
        dropped.forEach(dropBlob);
        return created;
    }

    /** Marks a kept upload as used now, restarting its time to live. */
    public void touch(long id) throws SQLException {
        if (id == NOT_KEPT) {
            return;
        }
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE partial_uploads SET updated_at = ? WHERE id = ?")) {
                ps.setLong(1, clock.millis());
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Forgets a kept upload (its blob file is the caller's to delete). */
    public void delete(long id) throws SQLException {
        if (id == NOT_KEPT) {
            return;
        }
        db.transaction(c -> delete(c, id));
    }

    static int delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM partial_uploads WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    /** The blob ids of every kept upload. */
    public static Set<String> referencedBlobs(Database db) throws SQLException {
        return db.read(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT blob_id FROM partial_uploads");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** Removes the kept uploads unused for longer than {@code ttl} and returns their blob ids. */
    public List<String> expire(Duration ttl) throws SQLException {
        long cutoff = clock.millis() - ttl.toMillis();
        return db.transaction(c -> {
            List<String> blobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM partial_uploads WHERE updated_at < ? RETURNING blob_id")) {
                ps.setLong(1, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        blobs.add(rs.getString(1));
                    }
                }
            }
            return blobs;
        });
    }
}
