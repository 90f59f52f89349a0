package dev.netdisk.server.ops;

import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Backup and restore of a data directory.
 *
 * <p><b>Backup</b> works while the server runs. First the database is copied with SQLite's online
 * backup API ({@code backup to FILE} in sqlite-jdbc): a consistent snapshot even while the server
 * writes. Then every blob the snapshot refers to is copied and its MD5 checked against the
 * snapshot (small files, kept in the database, come with it and are only checked). Blobs are immutable and named by id, so a blob copied after the snapshot is exactly the
 * one the snapshot means; files uploaded after the snapshot are simply not in the backup. Uploads in
 * progress are not backed up (their rows are dropped from the copy). A blob that vanished between
 * the snapshot and its copy (the file was overwritten meanwhile) is reported and the backup marked
 * incomplete: run it again.
 *
 * <p><b>Restore</b> goes into an empty (or new) data directory, with no server on it: it takes the
 * directory's lock, copies the database and the blobs, checks every blob's MD5 against the
 * database, and migrates the schema if the backup came from an older version.
 *
 * <p>Encryption at rest: the blob files are copied as they are (encrypted), and the wrapped data
 * keys come with the database. The master key is not copied unless asked for
 * ({@code --with-master-key}): a backup kept apart from its key is no use to whoever takes it. The
 * manifest says which; a restore of encrypted files refuses until it has the key.
 *
 * <p>Layout of a backup directory: {@code netdisk.db}, {@code blobs/ab/ab12...},
 * {@code backup.properties} (when, from where, how many files and bytes, complete or not, how many
 * encrypted, whether the master key is included), {@code keys/master.json} when included.
 */
public final class Backup {

    private static final int COPY_CHUNK = 1 << 20;

    /** The manifest's name in a backup directory. */
    public static final String MANIFEST = "backup.properties";

    private Backup() {
    }

    /**
     * What a backup or restore did.
     *
     * @param files    files (nodes, live or in the trash) whose bytes were copied and verified
     * @param blobs    distinct blobs copied (copies of a file share one blob)
     * @param bytes    the blobs' total size
     * @param problems blobs that were missing or did not match their MD5; empty when all is well
     */
    public record Result(long files, long blobs, long bytes, List<String> problems) {
        public boolean complete() {
            return problems.isEmpty();
        }
    }

    /**
     * Every blob a database refers to, once, with how many files share it, and the content of a
     * small file kept in the database (null for a blob file).
     */
    private static final String BLOBS = "SELECT n.blob_id, MIN(n.md5), MIN(n.size), COUNT(*), i.content, k.wrapped"
            + " FROM nodes n LEFT JOIN inline_blobs i ON i.blob_id = n.blob_id"
            + " LEFT JOIN data_keys k ON k.blob_id = n.blob_id"
            + " WHERE n.is_dir = 0 AND n.blob_id IS NOT NULL GROUP BY n.blob_id ORDER BY n.blob_id";
    /** {@link #BLOBS} for a backup made before encryption at rest (schema version 10 or less). */
    private static final String BLOBS_BEFORE_KEYS = "SELECT n.blob_id, MIN(n.md5), MIN(n.size), COUNT(*), i.content, NULL"
            + " FROM nodes n LEFT JOIN inline_blobs i ON i.blob_id = n.blob_id"
            + " WHERE n.is_dir = 0 AND n.blob_id IS NOT NULL GROUP BY n.blob_id ORDER BY n.blob_id";
    /** {@link #BLOBS} for a backup made before small files were kept in the database (schema version 6 or less). */
    private static final String BLOBS_BEFORE_INLINE = "SELECT blob_id, MIN(md5), MIN(size), COUNT(*), NULL, NULL FROM nodes"
            + " WHERE is_dir = 0 AND blob_id IS NOT NULL GROUP BY blob_id ORDER BY blob_id";

    /**
     * Backs up {@code dataDir} into {@code target}, which must not exist or be empty.
     *
     * @throws IOException  when the target is not empty or cannot be written
     * @throws SQLException when the database cannot be read
     */
    public static Result backup(Path dataDir, Path target) throws IOException, SQLException {
        return backup(dataDir, target, MasterKey.defaultFile(dataDir), false);
    }

    /**
     * Backs up {@code dataDir} into {@code target}, which must not exist or be empty. The wrapped
     * data keys come with the database; the master key only with {@code withMasterKey}. Encrypted
     * content is checked by decrypting it when the master key is there, else for its length only.
     *
     * @param masterKeyFile the master key of {@code dataDir} (it may be missing: nothing is then decrypted)
     * @param withMasterKey whether the backup carries a copy of the master key ({@code keys/master.json})
     * @throws IOException  when the target is not empty or cannot be written, or the master key is
     *                      asked for and missing
     * @throws SQLException when the database cannot be read
     */
    public static Result backup(Path dataDir, Path target, Path masterKeyFile, boolean withMasterKey)
            throws IOException, SQLException {
        MasterKey master = Files.exists(masterKeyFile) ? MasterKey.load(masterKeyFile) : null;
        if (withMasterKey && master == null) {
            throw new NoSuchFileException(masterKeyFile.toString(), null, "no master key to put in the backup");
        }
        Path source = dataDir.resolve("netdisk.db");
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString(), null, "no netdisk database here");
        }
        prepareEmpty(target);
        Path snapshot = target.resolve("netdisk.db").toAbsolutePath();
        if (snapshot.toString().contains("\"")) {
            throw new IOException("a backup directory's path may not contain a double quote: " + target);
        }
        // Created private first: SQLite would create it with the umask's mode.
        PrivateFiles.createNew(snapshot).close();
        try (Connection c = open(source); Statement st = c.createStatement()) {
            st.executeUpdate("backup to \"" + snapshot + "\"");
        }
        Result result;
        long encrypted;
        try (Connection c = open(snapshot); Statement st = c.createStatement()) {
            // Their bytes are not copied: a restored server must not offer to resume them.
            st.executeUpdate("DELETE FROM partial_uploads");
            result = copyBlobs(st, dataDir, target, new ContentCheck(master));
            encrypted = encryptedCount(st);
        }
        if (withMasterKey) {
            master.copyTo(target.resolve(MasterKey.DEFAULT_FILE));
        }
        Properties manifest = new Properties();
        manifest.setProperty("encrypted-files", Long.toString(encrypted));
        manifest.setProperty("master-key", withMasterKey ? "included" : "not included: restore needs --master-key-file");
        manifest.setProperty("created", Instant.now().toString());
        manifest.setProperty("source", dataDir.toAbsolutePath().toString());
        manifest.setProperty("netdisk-version", Version.version());
        manifest.setProperty("files", Long.toString(result.files()));
        manifest.setProperty("blobs", Long.toString(result.blobs()));
        manifest.setProperty("bytes", Long.toString(result.bytes()));
        manifest.setProperty("complete", Boolean.toString(result.complete()));
        PrivateFiles.restrict(snapshot);
        try (OutputStream out = PrivateFiles.createNew(target.resolve(MANIFEST))) {
            manifest.store(out, "netdisk backup: restore with netdisk-server restore --from DIR --data-dir NEW_DIR");
        }
        return result;
    }

    /**
     * Restores the backup in {@code backupDir} into {@code dataDir}, which must not exist or be empty.
     *
     * @throws IOException  when the backup is not one, the target is not empty, or a server holds it
     * @throws SQLException when the database cannot be read or migrated
     */
    public static Result restore(Path backupDir, Path dataDir) throws IOException, SQLException {
        return restore(backupDir, dataDir, null);
    }

    /**
     * Restores the backup in {@code backupDir} into {@code dataDir}, which must not exist or be
     * empty. A backup with encrypted files needs their master key: {@code masterKeyFile}, or the
     * copy the backup carries; it is copied to {@code dataDir/keys/master.json}.
     *
     * @param masterKeyFile the master key of the backed-up data directory, or null to use the backup's own
     * @throws IOException  when the backup is not one, the target is not empty, a server holds it,
     *                      or the backup's files are encrypted and no master key that opens them was given
     * @throws SQLException when the database cannot be read or migrated
     */
    public static Result restore(Path backupDir, Path dataDir, Path masterKeyFile) throws IOException, SQLException {
        Path snapshot = backupDir.resolve("netdisk.db");
        if (!Files.isRegularFile(snapshot)) {
            throw new NoSuchFileException(snapshot.toString(), null, "not a netdisk backup (no netdisk.db)");
        }
        MasterKey master = restoreKey(backupDir, snapshot, masterKeyFile);
        prepareEmpty(dataDir);
        Result result;
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            Path tmp = dataDir.resolve("netdisk.db.restoring");
            Files.deleteIfExists(tmp);
            PrivateFiles.copyNew(snapshot, tmp);
            if (master != null) {
                master.copyTo(MasterKey.defaultFile(dataDir));
            }
            try (Connection c = open(tmp); Statement st = c.createStatement()) {
                result = copyBlobs(st, backupDir, dataDir, new ContentCheck(master));
            }
            // Last, so a data directory with a database is one whose blobs are all in place.
            Files.move(tmp, dataDir.resolve("netdisk.db"), StandardCopyOption.ATOMIC_MOVE);
            // Brings an older backup's schema up to date now rather than at the server's start.
            dev.netdisk.server.store.Database.open(dataDir.resolve("netdisk.db"), 1).close();
        }
        return result;
    }

    /**
     * The master key a restore of {@code backupDir} uses: {@code given}, else the backup's own copy,
     * else none when nothing in it is encrypted. Checked against one of the backup's data keys.
     *
     * @throws IOException when the backup's files are encrypted and no key, or the wrong one, is at hand
     */
    private static MasterKey restoreKey(Path backupDir, Path snapshot, Path given) throws IOException, SQLException {
        Path carried = backupDir.resolve(MasterKey.DEFAULT_FILE);
        MasterKey master = given != null ? MasterKey.load(given) : Files.exists(carried) ? MasterKey.load(carried) : null;
        try (Connection c = open(snapshot); Statement st = c.createStatement()) {
            long encrypted = encryptedCount(st);
            if (encrypted == 0) {
                return master;
            }
            if (master == null) {
                throw new IOException("this backup holds " + encrypted + " encrypted files and not their master key:"
                        + " give --master-key-file FILE (the keys/master.json of the data directory it was made from)");
            }
            try (ResultSet rs = st.executeQuery("SELECT blob_id, wrapped FROM data_keys LIMIT 1")) {
                if (rs.next()) {
                    master.unwrap(rs.getBytes(2), rs.getString(1));
                }
            } catch (IntegrityException e) {
                throw new IOException("the master key " + master.file() + " does not open this backup's files: "
                        + e.getMessage(), e);
            }
        }
        return master;
    }

    /** How many blobs of the database of {@code st} are encrypted (0 before encryption at rest). */
    private static long encryptedCount(Statement st) throws SQLException {
        if (!hasTable(st, "data_keys")) {
            return 0;
        }
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM data_keys")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Copies (and checks) every blob the database of {@code st} refers to, from one root to another. */
    private static Result copyBlobs(Statement st, Path fromRoot, Path toRoot, ContentCheck check)
            throws SQLException, IOException {
        long files = 0;
        long blobs = 0;
        long bytes = 0;
        List<String> problems = new ArrayList<>();
        String query = hasTable(st, "data_keys") ? BLOBS : hasTable(st, "inline_blobs") ? BLOBS_BEFORE_KEYS
                : BLOBS_BEFORE_INLINE;
        try (ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                String blobId = rs.getString(1);
                byte[] content = rs.getBytes(5);
                byte[] wrappedKey = rs.getBytes(6);
                // A small file's bytes came with the database: only checked.
                String problem = content != null ? check.inline(blobId, content, wrappedKey, rs.getString(2), rs.getLong(3))
                        : copyVerified(blobPath(fromRoot, blobId), blobPath(toRoot, blobId), blobId, wrappedKey,
                        rs.getString(2), rs.getLong(3), check);
                if (problem == null) {
                    files += rs.getLong(4);
                    blobs++;
                    bytes += rs.getLong(3);
                } else {
                    problems.add(problem);
                }
            }
        }
        return new Result(files, blobs, bytes, problems);
    }

    /**
     * Copies one blob in 1 MiB chunks and forces it to disk (a backup must survive a power cut),
     * then checks the copy ({@link ContentCheck}: decrypted when it is encrypted); returns the
     * problem, or null.
     */
    private static String copyVerified(Path from, Path to, String blobId, byte[] wrappedKey, String md5, long size,
                                       ContentCheck check) throws IOException {
        PrivateFiles.createDirectories(to.getParent());
        ByteBuffer buffer = ByteBuffer.allocate(COPY_CHUNK);
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     PrivateFiles.fileAttributes())) {
            while (in.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(false);
        } catch (NoSuchFileException e) {
            return "blob " + from.getFileName() + " is missing (replaced or deleted since the snapshot?)";
        }
        return check.blobFile(to, blobId, wrappedKey, md5, size);
    }

    private static boolean hasTable(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return rs.next();
        }
    }

    private static Path blobPath(Path root, String blobId) {
        return root.resolve("blobs").resolve(blobId.substring(0, 2)).resolve(blobId);
    }

    private static void prepareEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new IOException(dir.toAbsolutePath() + " is not empty; give a new or empty directory");
                }
            }
        }
        // Private like a data directory: a backup holds password hashes and every user's files.
        PrivateFiles.createDirectories(dir);
        PrivateFiles.restrictDirectory(dir);
    }

    private static Connection open(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), config.toProperties());
    }
}
