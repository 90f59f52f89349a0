package dev.netdisk.server.store;

import dev.netdisk.protocol.ProtocolLimits;
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

    /** Stores {@code content} under {@code blobId} (a new, unique id) in the caller's transaction. */
    static void put(Connection c, String blobId, byte[] content) throws SQLException {
        PreparedStatement ps = Database.prepared(c, "INSERT INTO inline_blobs (blob_id, content) VALUES (?, ?)");
        ps.setString(1, blobId);
        ps.setBytes(2, content);
        ps.executeUpdate();
    }

    /** Deletes the content of {@code blobId}, if it is kept here; the caller has checked that nothing refers to it. */
    static void delete(Connection c, String blobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM inline_blobs WHERE blob_id = ?")) {
            ps.setString(1, blobId);
            ps.executeUpdate();
        }
    }

    /** The content of {@code blobId}, or empty when its bytes are a blob file. */
    static Optional<byte[]> find(Connection c, String blobId) throws SQLException {
        PreparedStatement ps = Database.prepared(c, "SELECT content FROM inline_blobs WHERE blob_id = ?");
        ps.setString(1, blobId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
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
