package dev.netdisk.server.store.s3;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartWriter;
import dev.netdisk.server.store.BlobUpload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An upload into S3: an S3 multipart upload whose part {@code k + 1} is the encrypted part
 * {@code k} ({@link DataKey}: 8 MiB of plaintext; S3 takes parts from 5 MiB, the last smaller).
 * Only the part being filled is kept here, in a staging file of the server's own (mode 0600, in
 * {@code DATA_DIR/partial}, deleted when the upload ends), not in the heap: a thousand uploads at once
 * must not cost 8 GiB of memory. It goes up as soon as it is complete, on the write lane. Each part
 * stored and hashed is recorded in the kept upload's row with the MD5 state after it
 * ({@link MultipartRows#kept}): that row and the multipart upload are all a resume needs, on this
 * server or another. The commit is
 * CompleteMultipartUpload ({@link #place}), before the transaction that makes the file visible.
 *
 * <p>Threads: as {@link BlobUpload}; the record of a part is made by whichever of the two lanes
 * reaches it second.
 */
final class S3Upload implements BlobUpload {

    private static final System.Logger LOG = System.getLogger(S3Upload.class.getName());

    private final S3BlobStore store;
    private final String blobId;
    private final String key;
    private final String uploadId;
    private final long size;
    private final ResumableMd5 md5;
    private final PartWriter encrypter;
    /** The file holding the part being filled (write lane); null until its first byte and once released. */
    private FileChannel staging;
    private Path stagingPath;
    /** Ciphertext bytes of the part being filled, in {@link #staging}. */
    private long staged;
    /** The number (from 0) of the part being filled. */
    private long partNo;
    /** Parts stored, and the MD5 states the hash lane left at part ends, not yet recorded together. */
    private long storedParts;
    private final Map<Long, byte[]> hashedParts = new HashMap<>();
    private long recordedParts;

    S3Upload(S3BlobStore store, String blobId, String uploadId, DataKey dataKey, long offset, long size,
             ResumableMd5 md5) {
        this.store = store;
        this.blobId = blobId;
        this.key = S3BlobStore.key(blobId);
        this.uploadId = uploadId;
        this.size = size;
        this.md5 = md5;
        this.partNo = offset / DataKey.PART_BYTES;
        this.storedParts = partNo;
        this.recordedParts = partNo;
        this.encrypter = new PartWriter(dataKey, blobId, new PartOut(), offset, size, null);
    }

    /** How many parts a blob of {@code size} plaintext bytes has. */
    static long partCount(long size) {
        return (size + DataKey.PART_BYTES - 1) / DataKey.PART_BYTES;
    }

    /** The ciphertext bytes of part {@code k} of a blob of {@code size} plaintext bytes. */
    static long partBytes(long k, long size) {
        return DataKey.ciphertextSize(Math.min(DataKey.PART_BYTES, size - k * DataKey.PART_BYTES));
    }

    @Override
    public MessageDigest digest() {
        return md5;
    }

    @Override
    public ByteBuffer allocate(int capacity) {
        return ByteBuffer.allocate(capacity);
    }

    @Override
    public void append(ByteBuffer plaintext) throws IOException {
        encrypter.append(plaintext);
    }

    private void uploadPart() throws IOException {
        long length = staged;
        int number = (int) partNo + 1;
        Path file = stagingPath;
        try {
            store.client().uploadPart(b -> b.bucket(store.location().bucket()).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength(length),
                    RequestBody.fromContentProvider(() -> {
                        try {
                            return Files.newInputStream(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, length, "application/octet-stream"));
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "UploadPart " + number + " of " + key, e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        staging.truncate(0);
        staging.position(0);
        staged = 0;
        partNo++;
        partStored();
    }

    /** The staging file, made at the first byte of a part after a start or a release. */
    private FileChannel staging() throws IOException {
        if (staging == null) {
            stagingPath = Files.createTempFile(store.stagingDir(), "s3-part-", ".bin",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            staging = FileChannel.open(stagingPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return staging;
    }

    @Override
    public void hashed(long end, MessageDigest digest) {
        if (end % DataKey.PART_BYTES == 0 || end == size) {
            byte[] state = md5.state();
            long parts = partCount(end);
            boolean record;
            synchronized (this) {
                hashedParts.put(parts, state);
                record = parts <= storedParts;
            }
            if (record) {
                record();
            }
        }
    }

    private void partStored() {
        synchronized (this) {
            storedParts = partNo;
        }
        record();
    }

    /** Records the most parts both stored and hashed, if more than recorded. */
    private void record() {
        long parts;
        byte[] state;
        synchronized (this) {
            parts = Math.min(storedParts, hashedParts.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
            state = hashedParts.get(parts);
            if (state == null || parts <= recordedParts) {
                return;
            }
            recordedParts = parts;
            hashedParts.keySet().removeIf(p -> p <= parts);
        }
        try {
            store.rows().kept(blobId, uploadId, parts, state);
        } catch (SQLException e) {
            // The part stays in S3; a resume starts before it, sending it again.
            LOG.log(System.Logger.Level.WARNING, "could not record part " + parts + " of upload " + blobId + ": " + e);
        }
    }

    /**
     * Pushes out the ciphertext the encrypter gathered: the tail of a part just sealed may still
     * be there, and only then is that part complete and sent. The part after it stays incomplete
     * in its staging file and is dropped: a resume sends it again.
     */
    @Override
    public void flush() throws IOException {
        encrypter.flush();
    }

    @Override
    public void keep() {
        release();
    }

    @Override
    public void discard() throws IOException {
        release();
        store.deletePartial(blobId);
    }

    @Override
    public void closeQuietly() {
        release();
    }

    @Override
    public synchronized void release() {
        FileChannel c = staging;
        staging = null;
        staged = 0;
        if (c != null) {
            try {
                c.close();
                Files.deleteIfExists(stagingPath);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete the staging file " + stagingPath + ": " + e);
            }
        }
    }

    @Override
    public Path place() throws IOException {
        store.complete(key, uploadId, partCount(size), size);
        return null;
    }

    @Override
    public void force() {
        // CompleteMultipartUpload answered: the object is durable in S3.
    }

    /** The ciphertext in order: a complete part goes up at once. */
    private final class PartOut implements PartWriter.Out {
        @Override
        public ByteBuffer allocate(int capacity) {
            return ByteBuffer.allocate(capacity);
        }

        @Override
        public void append(ByteBuffer ciphertext) throws IOException {
            while (ciphertext.hasRemaining()) {
                FileChannel file = staging();
                int room = (int) (partBytes(partNo, size) - staged);
                int take = Math.min(room, ciphertext.remaining());
                ByteBuffer run = ciphertext.slice();
                run.limit(take);
                while (run.hasRemaining()) {
                    staged += file.write(run);
                }
                ciphertext.position(ciphertext.position() + take);
                if (staged == partBytes(partNo, size)) {
                    uploadPart();
                }
            }
        }
    }
}
