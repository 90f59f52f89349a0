package dev.netdisk.server.store.s3;

import dev.netdisk.server.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The S3 half of a kept upload's {@code partial_uploads} row (migration V014): its multipart
 * upload id, how many parts are stored and hashed, and the MD5 state after them. The row itself
 * is {@link dev.netdisk.server.store.PartialUploads}'s; it is found here by blob id.
 *
 * <p>Thread-safe; blocking (JDBC).
 */
final class MultipartRows {

    /**
     * @param uploadId  the multipart upload id, or null before the first attempt
     * @param keptParts the parts stored and hashed
     * @param md5State  the MD5 state after them ({@link ResumableMd5#state}), or null
     */
    record Kept(String uploadId, long keptParts, byte[] md5State) {
    }

    private final Database db;

    MultipartRows(Database db) {
        this.db = db;
    }

    /** The S3 state of the kept upload of {@code blobId}, or empty when there is no such row. */
    Optional<Kept> find(String blobId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT upload_id, kept_parts, md5_state FROM partial_uploads WHERE blob_id = ?")) {
                ps.setString(1, blobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Kept(rs.getString(1), rs.getLong(2), rs.getBytes(3)))
                            : Optional.empty();
                }
            }
        });
    }

    /** A new multipart upload for {@code blobId}: nothing kept yet. Returns whether the row exists. */
    boolean start(String blobId, String uploadId) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE partial_uploads SET upload_id = ?, kept_parts = 0, md5_state = NULL WHERE blob_id = ?")) {
                ps.setString(1, uploadId);
                ps.setString(2, blobId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Parts 1 to {@code parts} of {@code uploadId} are stored, and the MD5 of their plaintext is {@code md5State}. */
    void kept(String blobId, String uploadId, long parts, byte[] md5State) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE partial_uploads SET kept_parts = ?, md5_state = ?"
                    + " WHERE blob_id = ? AND upload_id = ? AND kept_parts < ?")) {
                ps.setLong(1, parts);
                ps.setBytes(2, md5State);
                ps.setString(3, blobId);
                ps.setString(4, uploadId);
                ps.setLong(5, parts);
                return ps.executeUpdate();
            }
        });
    }
}
