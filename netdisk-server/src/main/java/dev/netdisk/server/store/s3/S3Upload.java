package dev.netdisk.server.store.s3;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartWriter;
import dev.netdisk.server.store.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An upload into S3: an S3 multipart upload whose part {@code k + 1} is the encrypted part
 * {@code k} ({@link DataKey}: 8 MiB of plaintext; S3 takes parts from 5 MiB, the last smaller).
 * Only the part being filled is in memory (one {@link DataKey#PART_CIPHERTEXT_BYTES} buffer); it
 * goes up as soon as it is complete, on the write lane. Each part stored and hashed is recorded in
 * the kept upload's row with the MD5 state after it ({@link MultipartRows#kept}): that row and the
 * multipart upload are all a resume needs, on this server or another. The commit is
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
    /** The part being filled (write lane); null once released. */
    private ByteBuffer part;
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
        this.encrypter = new PartWriter(dataKey, blobId, new PartOut(), offset, size);
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
        byte[] bytes = part.array();
        int length = part.position();
        int number = (int) partNo + 1;
        try {
            store.client().uploadPart(b -> b.bucket(store.location().bucket()).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream"));
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "UploadPart " + number + " of " + key, e);
        }
        part.clear();
        partNo++;
        partStored();
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
     * in memory and is dropped: a resume sends it again.
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
        part = null;
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
                if (part == null) {
                    part = ByteBuffer.allocate((int) DataKey.PART_CIPHERTEXT_BYTES);
                }
                int room = (int) (partBytes(partNo, size) - part.position());
                int take = Math.min(room, ciphertext.remaining());
                ByteBuffer run = ciphertext.slice();
                run.limit(take);
                part.put(run);
                ciphertext.position(ciphertext.position() + take);
                if (part.position() == partBytes(partNo, size)) {
                    uploadPart();
                }
            }
        }
    }
}
