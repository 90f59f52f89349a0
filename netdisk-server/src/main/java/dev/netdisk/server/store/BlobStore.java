package dev.netdisk.server.store;

import dev.netdisk.server.crypt.DataKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where file content lives, named by blob id, never by user path: the one seam through which the
 * server writes, commits, reads and deletes the bytes of every file over 64 KiB (smaller ones are
 * in the database: {@link InlineBlobs}). Two implementations: {@link LocalBlobStore} (the
 * {@code blobs/} directory under the data directory, the default) and
 * {@link dev.netdisk.server.store.s3.S3BlobStore} (an S3 bucket, {@code --blob-store s3://...}).
 *
 * <p>An upload's bytes are written through a {@link BlobUpload}, kept for resume between attempts
 * (as a partial file, or as the parts of an S3 multipart upload), and made durable and complete by
 * {@link BlobUpload#place} before the transaction that makes the file visible; a blob is read
 * through a {@link BlobSource}. Content is a run of encrypted parts ({@link DataKey}); the local
 * store also reads blobs written before encryption at rest.
 *
 * <p>Thread-safe; blocking (disk or network): never call from the selector thread. Failures are
 * {@link IOException}s; a store that cannot be reached or refuses (credentials, a missing bucket,
 * throttling) throws {@link BlobStoreUnavailableException}.
 */
public interface BlobStore extends AutoCloseable {

    /** A new random blob id: 32 hex digits (128 random bits). */
    static String randomBlobId() {
        byte[] id = new byte[16];
        Ids.RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** A new random blob id: 32 hex digits. */
    default String newBlobId() {
        return randomBlobId();
    }

    /**
     * How many plaintext bytes of the kept upload {@code blobId} (of {@code size} bytes) can be
     * resumed from: its complete encrypted parts (a multiple of {@link DataKey#PART_BYTES}), or
     * {@code size} when every part was kept; 0 when nothing is kept.
     */
    long keptPlaintext(String blobId, long size) throws IOException;

    /**
     * Opens the upload {@code blobId} to append its bytes from the plaintext {@code offset} (what
     * {@link #keptPlaintext} said: whole parts) to {@code size}, encrypted with {@code key}. What
     * followed the kept parts is dropped.
     *
     * @throws IOException when the kept bytes cannot be read, fail their integrity check or changed
     */
    BlobUpload openUpload(String blobId, DataKey key, long offset, long size) throws IOException;

    /**
     * Opens the complete blob {@code blobId} for reading.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such blob (deleted or replaced since)
     */
    BlobSource open(String blobId) throws IOException;

    /** Deletes a complete blob; a missing one is not an error. */
    void delete(String blobId) throws IOException;

    /** Deletes what an upload in progress kept; nothing kept is not an error. */
    void deletePartial(String blobId) throws IOException;

    /**
     * Deletes the blobs and kept uploads nothing refers to: what a crash between writing content
     * and committing its metadata leaves behind. Only safe while no upload of this store is being
     * committed (at start).
     *
     * @param referencedBlobs    the blob ids the file tree refers to
     * @param referencedPartials the blob ids of the kept uploads
     * @return how many blobs and kept uploads were deleted
     */
    int sweep(Set<String> referencedBlobs, Set<String> referencedPartials) throws IOException;

    /** Where the store is, for logs and status: a directory or an {@code s3://} location. */
    String describe();

    /** Lets go of connections and threads; the content stays. */
    @Override
    default void close() {
    }

    /** The random source of blob ids. */
    final class Ids {
        static final SecureRandom RANDOM = new SecureRandom();

        private Ids() {
        }
    }
}
