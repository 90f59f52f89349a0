package dev.netdisk.server.ops;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.PartialFileWriter;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartWriter;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code netdisk-server keys encrypt-existing}: encrypts the content stored before encryption at
 * rest (blobs with no data key), online, beside a running server.
 *
 * <ul>
 *   <li>A small file in the database: its row is encrypted and its data key inserted in one
 *       transaction.
 *   <li>A blob file: its bytes are read (and their MD5 checked against the node: damaged content
 *       is reported, not encrypted), encrypted under a new data key into a <em>new</em> blob
 *       (partial file, forced, renamed into {@code blobs/}, directory synced); then one transaction
 *       inserts the key and points every node of the old blob at the new one; then the old file is
 *       deleted.
 * </ul>
 *
 * <p>Crash safety: until the transaction commits, the nodes point at the old blob, which is still
 * there; after it, at the new one, which was durable before. A kill -9 at any moment leaves every
 * file readable; what is left over (a new blob nothing points at, an old one no longer pointed at) is
 * deleted by the server's start-up sweep. Run again, it goes on with what is still unencrypted.
 * A file deleted or replaced by the server meanwhile is skipped (the transaction finds no node).
 *
 * <p>Blocking; one thread.
 */
public final class EncryptExisting {

    /** What a run did. */
    public record Result(long encrypted, long bytes, List<String> problems) {
    }

    private final Database db;
    private final LocalBlobStore blobs;
    private final DataKeys keys;

    public EncryptExisting(Database db, LocalBlobStore blobs, DataKeys keys) {
        this.db = db;
        this.blobs = blobs;
        this.keys = keys;
    }

    /** One unencrypted blob: its id, size and MD5, and whether it is kept in the database. */
    private record Plain(String blobId, long size, String md5, boolean inline) {
    }

    /**
     * Encrypts every blob that has no data key, reporting after each one.
     *
     * @param progress told {@code (done, total, bytes)} after each blob, as a line
     */
    public Result run(Consumer<String> progress) throws SQLException, IOException {
        List<Plain> todo = unencrypted();
        long done = 0;
        long bytes = 0;
        List<String> problems = new ArrayList<>();
        for (Plain plain : todo) {
            String problem = plain.inline() ? encryptInline(plain) : encryptFile(plain);
            if (problem != null) {
                problems.add(problem);
            } else {
                done++;
                bytes += plain.size();
            }
            progress.accept(String.format("encrypted %d of %d files (%.1f MiB)%s", done, todo.size(),
                    bytes / 1048576.0, problem == null ? "" : "; skipped: " + problem));
        }
        return new Result(done, bytes, problems);
    }

    /** The blobs that nodes (live or trashed) refer to and that have no data key. */
    private List<Plain> unencrypted() throws SQLException {
        return db.read(c -> {
            List<Plain> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.blob_id, MIN(n.size), MIN(n.md5),"
                    + " EXISTS (SELECT 1 FROM inline_blobs i WHERE i.blob_id = n.blob_id) FROM nodes n"
                    + " WHERE n.is_dir = 0 AND n.blob_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM data_keys k WHERE k.blob_id = n.blob_id)"
                    + " GROUP BY n.blob_id ORDER BY n.blob_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Plain(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return out;
        });
    }

    private String encryptInline(Plain plain) throws SQLException {
        return db.transaction(c -> {
            byte[] content;
            try (PreparedStatement ps = c.prepareStatement("SELECT i.content FROM inline_blobs i WHERE i.blob_id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM data_keys k WHERE k.blob_id = i.blob_id)")) {
                ps.setString(1, plain.blobId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null; // deleted or encrypted meanwhile
                    }
                    content = rs.getBytes(1);
                }
            }
            if (!Md5.hex(content).equalsIgnoreCase(plain.md5())) {
                return "blob " + plain.blobId() + " (in the database) does not match its MD5: left as it is";
            }
            DataKey key = keys.create(c, plain.blobId());
            try (PreparedStatement ps = c.prepareStatement("UPDATE inline_blobs SET content = ? WHERE blob_id = ?")) {
                ps.setBytes(1, key.seal(content, plain.blobId()));
                ps.setString(2, plain.blobId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private String encryptFile(Plain plain) throws IOException, SQLException {
        String newId = blobs.newBlobId();
        DataKey key = DataKey.generate();
        Path target = blobs.partialPath(newId);
        try {
            String problem = writeEncrypted(blobs.blobPath(plain.blobId()), target, key, newId, plain);
            if (problem != null) {
                blobs.deletePartial(newId);
                return problem;
            }
        } catch (NoSuchFileException e) {
            blobs.deletePartial(newId);
            return null; // deleted or replaced meanwhile: nothing to encrypt
        }
        LocalBlobStore.syncDirectory(blobs.moveIntoPlace(newId));
        boolean switched = db.durableTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET blob_id = ? WHERE blob_id = ?")) {
                ps.setString(1, newId);
                ps.setString(2, plain.blobId());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            keys.insert(c, newId, key);
            return true;
        });
        blobs.delete(switched ? plain.blobId() : newId);
        return null;
    }

    /** Reads {@code from}, checks its MD5, and writes it encrypted to {@code to}, forced; returns the problem, or null. */
    private static String writeEncrypted(Path from, Path to, DataKey key, String newId, Plain plain) throws IOException {
        MessageDigest md5 = Md5.newDigest();
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     PrivateFiles.fileAttributes())) {
            if (in.size() != plain.size()) {
                return "blob " + plain.blobId() + " has " + in.size() + " bytes, not " + plain.size() + ": left as it is";
            }
            PartialFileWriter writer = PartialFileWriter.open(to, out, 0, DataKey.ciphertextSize(plain.size()),
                    PartialFileWriter.DIRECT_MIN_BYTES);
            try {
                PartWriter parts = new PartWriter(key, newId, writer, 0, plain.size());
                ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                long position = 0;
                while (position < plain.size()) {
                    buffer.clear();
                    int n = in.read(buffer, position);
                    if (n < 0) {
                        return "blob " + plain.blobId() + " ends early at " + position + ": left as it is";
                    }
                    position += n;
                    buffer.flip();
                    md5.update(buffer.duplicate());
                    parts.append(buffer);
                }
            } finally {
                writer.close();
            }
            out.force(true);
        }
        if (!Md5.hex(md5).equalsIgnoreCase(plain.md5())) {
            return "blob " + plain.blobId() + " does not match its MD5: left as it is";
        }
        return null;
    }
}
