package dev.netdisk.server.store;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.IntegrityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The bytes of small files, kept in the database (table {@code inline_blobs}, migration V007)
 * instead of in a blob file each. A file of at most {@link ProtocolLimits#SMALL_FILE_BYTES} is stored here when it is
 * uploaded; larger ones, and files stored before, are blob files ({@link BlobStore}). Either way a
 * node names its content by blob id, so copies share it and it is deleted when no node refers to it
 * ({@link FileTree#unreferenced}).
 *
 * <p>Why: a blob file costs an inode, a rename and two fsyncs (the file and its directory), and
 * finding a free inode near many recently deleted ones costs kernel time. Inside the database, a group commit of many small uploads is one
 * transaction and one WAL sync ({@code docs/PERFORMANCE.md}, small files). SQLite measured the same
 * trade: blobs under about 100 KB are faster inside the database than as files
 * (<a href="https://sqlite.org/intern-v-extern-blob.html">Internal Versus External BLOBs</a>).
 *
 * <p>The bytes are encrypted at rest: AES-256-GCM under the file's own data key ({@link DataKeys}),
 * the blob id as associated data. Rows without a data key were stored before, and are read as they are.
 *
 * <p>Small files are not kept for resume either: an interrupted upload of one starts again at 0.
 *
 * <p>Every method runs inside the caller's transaction or read, on a worker thread.
 */
public final class InlineBlobs {

    /** Files of at most this many bytes are kept in the database: 64 KiB. */

    private InlineBlobs() {
    }

    /** Whether an upload of {@code size} bytes is kept in the database. */
    public static boolean fits(long size) {
        return size <= ProtocolLimits.SMALL_FILE_BYTES;
    }

    /**
     * Stores {@code content} under {@code blobId} (a new, unique id) in the caller's transaction,
     * encrypted with a new data key ({@link DataKey#seal}) wrapped by {@code keys}' master key.
     */
    static void put(Connection c, DataKeys keys, String blobId, byte[] content) throws SQLException {
        DataKey key = keys.create(c, blobId);
        PreparedStatement ps = Database.prepared(c, "INSERT INTO inline_blobs (blob_id, content) VALUES (?, ?)");
        ps.setString(1, blobId);
        ps.setBytes(2, key.seal(content, blobId));
        ps.executeUpdate();
    }

    /**
     * A small file's bytes as stored: encrypted with the data key {@code wrappedKey}, or (stored
     * before encryption at rest, {@code wrappedKey} null) as they are.
     */
    record Stored(String blobId, byte[] content, byte[] wrappedKey) {
        /**
         * The file's bytes.
         *
         * @throws IntegrityException when the stored bytes or their key were changed
         */
        byte[] plaintext(DataKeys keys) throws IntegrityException {
            if (wrappedKey == null) {
                return content;
            }
            return DataKey.of(keys.master().unwrap(wrappedKey, blobId)).open(content, blobId);
        }
    }

    /**
     * Deletes the content of {@code blobId}, if it is kept here, and its data key (a blob file's
     * too); the caller has checked that nothing refers to it.
     */
    static void delete(Connection c, String blobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM inline_blobs WHERE blob_id = ?")) {
            ps.setString(1, blobId);
            ps.executeUpdate();
        }
        DataKeys.delete(c, blobId);
    }

    /** The stored content of {@code blobId} with its wrapped key, or empty when its bytes are a blob file. */
    static Optional<Stored> find(Connection c, String blobId) throws SQLException {
        PreparedStatement ps = Database.prepared(c, "SELECT i.content, k.wrapped FROM inline_blobs i"
                + " LEFT JOIN data_keys k ON k.blob_id = i.blob_id WHERE i.blob_id = ?");
        ps.setString(1, blobId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Stored(blobId, rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
        }
    }

    /**
     * Deletes the contents no node refers to, live or trashed. Every path that drops the last
     * reference deletes the content in the same transaction, so there are none unless something
     * outside the server edited the database; the start-up sweep calls this to be sure.
     *
     * @return how many were deleted
     */
    public static int sweep(Database db) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inline_blobs WHERE blob_id NOT IN"
                    + " (SELECT blob_id FROM nodes WHERE blob_id IS NOT NULL)")) {
                return ps.executeUpdate();
            }
        });
    }
}
