package dev.netdisk.server.store;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.crypt.MasterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data keys of stored content (table {@code data_keys}, migration V011): one random key per
 * blob, kept wrapped by the {@link MasterKey} (envelope encryption), with the id of the master key
 * that wrapped it. A blob with no row is one stored before encryption at rest: read as it is.
 *
 * <p>Thread-safe; blocking (JDBC): workers only. The methods taking a {@link Connection} run in the
 * caller's transaction or read.
 */
public final class DataKeys {

    /** Data keys re-wrapped per transaction by {@link #rewrap}. */
    private static final int REWRAP_BATCH = 500;

    private final Database db;
    private volatile MasterKey master;

    public DataKeys(Database db, MasterKey master) {
        this.db = db;
        this.master = master;
    }

    /** The master key in use. */
    public MasterKey master() {
        return master;
    }

    /** A new data key for {@code blobId}, stored wrapped in the caller's transaction. */
    public DataKey create(Connection c, String blobId) throws SQLException {
        DataKey key = DataKey.generate();
        insert(c, blobId, key);
        return key;
    }

    /** Stores {@code key} wrapped as the data key of {@code blobId}, in the caller's transaction. */
    public void insert(Connection c, String blobId, DataKey key) throws SQLException {
        byte[] wrapped = master.wrap(key, blobId);
        PreparedStatement ps = Database.prepared(c,
                "INSERT INTO data_keys (blob_id, master_key_id, wrapped) VALUES (?, ?, ?)");
        ps.setString(1, blobId);
        ps.setLong(2, Integer.toUnsignedLong(master.primaryId()));
        ps.setBytes(3, wrapped);
        ps.executeUpdate();
    }

    /**
     * The data key of {@code blobId}, or empty for content stored before encryption at rest.
     *
     * @throws IntegrityException when the wrapped key does not open with the master key
     */
    public Optional<DataKey> find(Connection c, String blobId) throws SQLException, IntegrityException {
        PreparedStatement ps = Database.prepared(c, "SELECT wrapped FROM data_keys WHERE blob_id = ?");
        ps.setString(1, blobId);
        byte[] wrapped;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            wrapped = rs.getBytes(1);
        }
        return Optional.of(DataKey.of(master.unwrap(wrapped, blobId)));
    }

    /** {@link #find} on a pooled connection. */
    public Optional<DataKey> find(String blobId) throws SQLException, IntegrityException {
        try {
            return db.read(c -> {
                try {
                    return find(c, blobId);
                } catch (IntegrityException e) {
                    throw new WrappedIntegrity(e);
                }
            });
        } catch (WrappedIntegrity e) {
            throw (IntegrityException) e.getCause();
        }
    }

    /**
     * The data key of an upload kept for resume, made in its own transaction when it has none yet
     * (the first {@code DATA} of the upload).
     */
    public DataKey forUpload(String blobId) throws SQLException, IntegrityException {
        Optional<DataKey> found = find(blobId);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return db.transaction(c -> {
                try {
                    Optional<DataKey> again = find(c, blobId);
                    return again.isPresent() ? again.get() : create(c, blobId);
                } catch (IntegrityException e) {
                    throw new WrappedIntegrity(e);
                }
            });
        } catch (WrappedIntegrity e) {
            throw (IntegrityException) e.getCause();
        }
    }

    /** Deletes the data key of {@code blobId}, in the caller's transaction (its content is going). */
    static void delete(Connection c, String blobId) throws SQLException {
        PreparedStatement ps = Database.prepared(c, "DELETE FROM data_keys WHERE blob_id = ?");
        ps.setString(1, blobId);
        ps.executeUpdate();
    }

    /**
     * Deletes the data keys of blobs that nothing refers to (no node, live or trashed, and no kept
     * upload): what a crash between a commit and the next delete leaves. Only safe at start.
     *
     * @return how many were deleted
     */
    public static int sweep(Database db) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM data_keys WHERE blob_id NOT IN"
                    + " (SELECT blob_id FROM nodes WHERE blob_id IS NOT NULL)"
                    + " AND blob_id NOT IN (SELECT blob_id FROM partial_uploads)")) {
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The master keys (ids, unsigned) that wrap at least one data key, in id order: one index seek
     * per distinct id (there are one or two outside a rotation), not a scan of every data key.
     */
    public java.util.SortedSet<Long> masterKeysInUse() throws SQLException {
        return db.read(c -> {
            java.util.SortedSet<Long> ids = new java.util.TreeSet<>();
            long after = -1;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MIN(master_key_id) FROM data_keys WHERE master_key_id > ?")) {
                while (true) {
                    ps.setLong(1, after);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long id = rs.getLong(1);
                        if (rs.wasNull()) {
                            return ids;
                        }
                        ids.add(id);
                        after = id;
                    }
                }
            }
        });
    }

    /**
     * Checks that the master key holds every key that wraps a data key in the database, so a
     * server never starts on an old copy of the key file (one from before {@code keys rotate} on
     * another machine): it could not read the files protected by the new key, and would wrap new
     * files with a key the current file no longer has.
     *
     * @throws IntegrityException naming the missing key ids and the file, when one is missing
     */
    public void checkMasterKeyHoldsAll() throws SQLException, IntegrityException {
        java.util.Set<Long> held = new java.util.HashSet<>();
        master.keyIds().forEach(id -> held.add(Integer.toUnsignedLong(id)));
        java.util.List<Long> missing = masterKeysInUse().stream().filter(id -> !held.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new IntegrityException("the master key file " + master.file().toAbsolutePath()
                    + " lacks master key(s) " + missing + " that protect files in the database: it is an old or"
                    + " wrong copy (was `keys rotate` run with another copy?); use the current key file");
        }
    }

    /** How many data keys each master key wraps, by master key id (unsigned), in id order. */
    public Map<Long, Long> countsByMasterKey() throws SQLException {
        return db.read(c -> {
            Map<Long, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT master_key_id, COUNT(*) FROM data_keys GROUP BY master_key_id ORDER BY master_key_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    /**
     * Re-wraps every data key not wrapped by the primary master key with it, {@value #REWRAP_BATCH}
     * per transaction; the content is not touched.
     *
     * @return how many were re-wrapped
     * @throws IntegrityException when a wrapped key does not open (nothing of that batch is changed)
     */
    public long rewrap(MasterKey newMaster) throws SQLException, IntegrityException {
        this.master = newMaster;
        long primary = Integer.toUnsignedLong(newMaster.primaryId());
        long done = 0;
        while (true) {
            int n;
            try {
                n = db.transaction(c -> {
                    List<String> ids = new ArrayList<>();
                    List<byte[]> wrapped = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT blob_id, wrapped FROM data_keys WHERE master_key_id <> ? LIMIT " + REWRAP_BATCH)) {
                        ps.setLong(1, primary);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getString(1));
                                wrapped.add(rs.getBytes(2));
                            }
                        }
                    }
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE blob_id = ?")) {
                        for (int i = 0; i < ids.size(); i++) {
                            byte[] raw;
                            try {
                                raw = newMaster.unwrap(wrapped.get(i), ids.get(i));
                            } catch (IntegrityException e) {
                                throw new WrappedIntegrity(e);
                            }
                            up.setLong(1, primary);
                            up.setBytes(2, newMaster.wrap(raw, ids.get(i)));
                            up.setString(3, ids.get(i));
                            up.addBatch();
                        }
                        up.executeBatch();
                    }
                    return ids.size();
                });
            } catch (WrappedIntegrity e) {
                throw (IntegrityException) e.getCause();
            }
            done += n;
            if (n < REWRAP_BATCH) {
                return done;
            }
        }
    }

    /** Carries an {@link IntegrityException} out of a {@link Database.Work}, which throws only SQLException. */
    private static final class WrappedIntegrity extends SQLException {
        private static final long serialVersionUID = 1L;

        WrappedIntegrity(IntegrityException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
