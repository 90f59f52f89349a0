package dev.netdisk.server.ops;

import dev.netdisk.protocol.Md5;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.crypt.PartReader;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.s3.S3Copy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code netdisk-server migrate}: a stopped single-machine data directory (SQLite and the local
 * blob directory) into PostgreSQL and an S3 bucket.
 *
 * <p>Order, so that nothing is half-visible: first the <b>contents</b>, each blob's ciphertext
 * copied as it is (same blob id, same data key: no re-encryption) after its parts were decrypted
 * and the plaintext's MD5 compared with the node's; a blob already in the bucket with its full size
 * counts as done. Only then the <b>rows</b> ({@link MigrateRows}), so every row the target holds
 * refers to content that is there. Small files stay in the database ({@code inline_blobs}, checked
 * the same way). Kept partial uploads are not migrated. Content stored before encryption at rest is
 * refused: S3 holds only ciphertext, so {@code keys encrypt-existing} must run first.
 *
 * <p>Blocking; one thread. A kill at any moment, then the same command again, goes on where it was.
 */
public final class Migrate {

    /** What a run found and did. */
    public record Result(long users, long files, long directories, long trashItems, long shares, long links,
                         long messages, long blobsCopied, long blobsThere, long contentBytes, long rowsInserted) {
    }

    /** A failure that stops the migration with a message for the operator. */
    public static final class MigrateException extends Exception {
        private static final long serialVersionUID = 1L;

        public MigrateException(String message) {
            super(message);
        }
    }

    /** One stored blob: its id, plaintext size and MD5, and a node that refers to it (to name the file). */
    private record Blob(String blobId, long size, String md5, long nodeId) {
    }

    private final Database source;
    private final LocalBlobStore blobs;
    private final DataKeys keys;
    private final Database target;
    private final S3Copy copy;
    private final String sourceName;
    private final Consumer<String> progress;
    private final int parallel;

    /**
     * @param keys       the source's data keys, or null when it has no master key
     * @param sourceName what identifies the source in the target's bookkeeping (the data directory)
     * @param parallel   how many blobs are copied at once (at least 1)
     */
    public Migrate(Database source, LocalBlobStore blobs, DataKeys keys, Database target, S3Copy copy,
                   String sourceName, int parallel, Consumer<String> progress) {
        this.source = source;
        this.blobs = blobs;
        this.keys = keys;
        this.target = target;
        this.copy = copy;
        this.sourceName = sourceName;
        this.progress = progress;
        this.parallel = Math.max(1, parallel);
    }

    /**
     * Runs (or resumes) the migration.
     *
     * @throws MigrateException when the target holds other data, content is unencrypted, damaged or
     *                          missing, or the usage totals disagree (the message says which file or user)
     */
    public Result run() throws MigrateException, SQLException, IOException {
        MigrateRows rows = new MigrateRows(source, target, progress);
        checkTarget(rows);
        List<String> unknown = rows.unknownTables();
        if (!unknown.isEmpty()) {
            throw new MigrateException("the source holds tables this migrate does not know: " + unknown
                    + " (a newer netdisk-server wrote it? use the same version)");
        }
        List<Blob> stored = fileBlobs();
        long plain = MigrateRows.count(source, "SELECT COUNT(DISTINCT n.blob_id) FROM nodes n WHERE n.is_dir = 0"
                + " AND n.blob_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM data_keys k WHERE k.blob_id = n.blob_id)"
                + " AND NOT EXISTS (SELECT 1 FROM inline_blobs i WHERE i.blob_id = n.blob_id)");
        if (plain > 0) {
            throw new MigrateException(plain + " files are stored unencrypted (written before encryption at rest); the"
                    + " S3 store holds only ciphertext: run 'netdisk-server keys encrypt-existing' on this data"
                    + " directory first, then migrate again");
        }
        if (keys == null && MigrateRows.count(source, "SELECT COUNT(*) FROM data_keys") > 0) {
            throw new MigrateException("no master key: the files are encrypted with data keys wrapped by it"
                    + " (give --master-key-file)");
        }
        rows.begin(sourceName);
        checkInline();

        copy.abortIncomplete(new HashSet<>(stored.stream().map(Blob::blobId).toList()));
        long[] counts = copyContents(stored);
        long copied = counts[0];
        long there = counts[1];
        long bytes = counts[2];

        long inserted = rows.copyAll();
        List<String> differences = rows.checkTotals();
        if (!differences.isEmpty()) {
            throw new MigrateException("the usage totals differ after the copy: " + String.join("; ", differences));
        }
        rows.finish();
        long inline = MigrateRows.count(source, "SELECT COALESCE(SUM(s), 0) FROM (SELECT MIN(n.size) AS s FROM nodes n"
                + " JOIN inline_blobs i ON i.blob_id = n.blob_id GROUP BY n.blob_id)");
        return new Result(MigrateRows.count(source, "SELECT COUNT(*) FROM users"),
                MigrateRows.count(source, "SELECT COUNT(*) FROM nodes WHERE is_dir = 0"),
                MigrateRows.count(source, "SELECT COUNT(*) FROM nodes WHERE is_dir = 1"
                        + " AND NOT (parent_id IS NULL AND name = '')"),
                MigrateRows.count(source, "SELECT COUNT(*) FROM trash"),
                MigrateRows.count(source, "SELECT COUNT(*) FROM shares"),
                MigrateRows.count(source, "SELECT COUNT(*) FROM share_links"),
                MigrateRows.count(source, "SELECT COUNT(*) FROM messages"),
                copied, there, bytes + inline, inserted);
    }

    /**
     * Copies the blobs not yet in the bucket, {@code parallel} at a time (S3 requests wait on the
     * network more than on the CPU); the first failure stops the others, whose unfinished
     * multipart uploads are aborted.
     *
     * @return blobs copied, blobs there before, plaintext bytes of all of them
     */
    private long[] copyContents(List<Blob> stored) throws MigrateException, SQLException, IOException {
        long[] counts = new long[3];
        long lastLine = 0;
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "migrate-copy");
            t.setDaemon(true);
            return t;
        });
        CompletionService<Blob> done = new ExecutorCompletionService<>(pool);
        long doneBytes = 0;
        try {
            for (Blob blob : stored) {
                done.submit(() -> {
                    if (copy.storedSize(blob.blobId()) == DataKey.ciphertextSize(blob.size())) {
                        return null;
                    }
                    copyBlob(blob);
                    return blob;
                });
                counts[2] += blob.size();
            }
            for (int i = 0; i < stored.size(); i++) {
                Blob copied = done.take().get();
                counts[copied != null ? 0 : 1]++;
                doneBytes += copied != null ? copied.size() : 0;
                if (System.nanoTime() - lastLine > 1_000_000_000L || i == stored.size() - 1 || counts[0] <= 1) {
                    lastLine = System.nanoTime();
                    progress.accept(String.format("copied %d of %d files (%.1f MiB this run), %d there before", i + 1,
                            stored.size(), doneBytes / 1048576.0, counts[1]));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying the contents", e);
        } catch (ExecutionException e) {
            stop(pool);
            Throwable cause = e.getCause();
            if (cause instanceof MigrateException m) {
                throw m;
            } else if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof SQLException sql) {
                throw sql;
            } else if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
        return counts;
    }

    /** Interrupts the copies still running and waits for them to abort their uploads. */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The target must hold no netdisk data, or only what an earlier run from the same source left. */
    private void checkTarget(MigrateRows rows) throws MigrateException, SQLException {
        if (rows.begun()) {
            String recorded = rows.recordedSource();
            if (recorded != null && !recorded.equals(sourceName)) {
                throw new MigrateException("the target database holds a migration in progress from " + recorded
                        + ", not from " + sourceName);
            }
            progress.accept("resuming the migration from " + sourceName);
            return;
        }
        long users = MigrateRows.count(target, "SELECT COUNT(*) FROM users");
        long nodes = MigrateRows.count(target, "SELECT COUNT(*) FROM nodes");
        if (users > 0 || nodes > 0) {
            throw new MigrateException("the target database already holds netdisk data (" + users + " users, " + nodes
                    + " files and directories); migrate needs an empty one (a finished migration cannot be run again)");
        }
    }

    /** The blobs in files (of live and trashed nodes), not kept in the database. */
    private List<Blob> fileBlobs() throws SQLException {
        return source.read(c -> {
            List<Blob> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.blob_id, MIN(n.size), MIN(n.md5), MIN(n.id)"
                    + " FROM nodes n WHERE n.is_dir = 0 AND n.blob_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM inline_blobs i WHERE i.blob_id = n.blob_id)"
                    + " GROUP BY n.blob_id ORDER BY n.blob_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Blob(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    /** Every small file kept in the database opens and matches its MD5. */
    private void checkInline() throws MigrateException, SQLException {
        List<Object[]> inline = source.read(c -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT i.blob_id, i.content, MIN(n.md5), MIN(n.id)"
                    + " FROM inline_blobs i JOIN nodes n ON n.blob_id = i.blob_id GROUP BY i.blob_id, i.content");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] {rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getLong(4)});
                }
            }
            return out;
        });
        for (Object[] row : inline) {
            String blobId = (String) row[0];
            byte[] content = (byte[]) row[1];
            try {
                Optional<DataKey> key = keys == null ? Optional.empty() : keys.find(blobId);
                if (key.isPresent()) {
                    content = key.get().open(content, blobId);
                }
            } catch (IntegrityException e) {
                throw new MigrateException(fileName((Long) row[3]) + ": " + e.getMessage() + "; nothing of it was copied");
            }
            if (row[2] != null && !Md5.hex(content).equalsIgnoreCase((String) row[2])) {
                throw new MigrateException(fileName((Long) row[3]) + " (kept in the database) does not match its MD5;"
                        + " nothing was copied into the target's tables");
            }
        }
    }

    /** Reads each part of the blob's file, checks it by decrypting it, and puts it into S3. */
    private void copyBlob(Blob blob) throws MigrateException, IOException, SQLException {
        DataKey key;
        try {
            key = keys.find(blob.blobId()).orElseThrow();
        } catch (IntegrityException e) {
            throw new MigrateException(fileName(blob.nodeId()) + ": its data key does not open with this master key ("
                    + e.getMessage() + ")");
        }
        long ciphertext = DataKey.ciphertextSize(blob.size());
        int parts = (int) Math.max(1, (blob.size() + DataKey.PART_BYTES - 1) / DataKey.PART_BYTES);
        MessageDigest md5 = Md5.newDigest();
        try (FileChannel file = FileChannel.open(blobs.blobPath(blob.blobId()), StandardOpenOption.READ)) {
            if (file.size() != ciphertext) {
                throw new MigrateException(fileName(blob.nodeId()) + ": its blob has " + file.size() + " bytes, not the "
                        + ciphertext + " of " + blob.size() + " encrypted bytes; nothing of it was copied");
            }
            PartBuffer buffer = new PartBuffer(ciphertext);
            PartReader reader = new PartReader(buffer, key, blob.blobId(), blob.size());
            ByteBuffer plain = ByteBuffer.allocate(1 << 20);
            copy.put(blob.blobId(), parts, k -> {
                long start = k * DataKey.PART_CIPHERTEXT_BYTES;
                long plainStart = k * DataKey.PART_BYTES;
                long plainEnd = Math.min(blob.size(), plainStart + DataKey.PART_BYTES);
                buffer.load(file, start, (int) (DataKey.ciphertextSize(plainEnd - plainStart)));
                for (long at = plainStart; at < plainEnd; ) {
                    plain.clear();
                    int n = reader.read(plain, at);
                    if (n < 0) {
                        throw new IntegrityException("blob " + blob.blobId() + " ends early at " + at);
                    }
                    plain.flip();
                    md5.update(plain);
                    at += n;
                }
                if (k == parts - 1 && !Md5.hex(md5).equalsIgnoreCase(blob.md5())) {
                    throw new IntegrityException("does not match its MD5");
                }
                return buffer.bytes();
            });
        } catch (NoSuchFileException e) {
            throw new MigrateException(fileName(blob.nodeId()) + ": its blob " + blob.blobId() + " is missing from "
                    + blobs.describe() + "; nothing was copied into the target's tables");
        } catch (IntegrityException e) {
            throw new MigrateException(fileName(blob.nodeId()) + " (blob " + blob.blobId() + "): " + e.getMessage()
                    + "; nothing of it is in the bucket, nothing was copied into the target's tables");
        }
    }

    /** The owner and path of node {@code nodeId}, for messages: {@code alice:/docs/a.txt} ({@code alice:(trash)/a.txt} once trashed). */
    private String fileName(long nodeId) throws SQLException {
        return source.read(c -> {
            StringBuilder path = new StringBuilder();
            String owner = "?";
            Long id = nodeId;
            boolean rooted = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT n.parent_id, n.name, u.name FROM nodes n"
                    + " JOIN users u ON u.id = n.owner_id WHERE n.id = ?")) {
                for (int depth = 0; id != null && depth < 10_000; depth++) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            break;
                        }
                        long parent = rs.getLong(1);
                        id = rs.wasNull() ? null : parent;
                        owner = rs.getString(3);
                        if (id == null && rs.getString(2).isEmpty()) {
                            rooted = true;
                        } else {
                            path.insert(0, "/" + rs.getString(2));
                        }
                    }
                }
            }
            return "file " + owner + ":" + (rooted ? "" : "(trash)") + path;
        });
    }
}
