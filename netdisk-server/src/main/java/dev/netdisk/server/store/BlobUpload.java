package dev.netdisk.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The content of one upload being received ({@link BlobStore#openUpload}): its plaintext is
 * encrypted and appended in order by the write lane, and what it keeps between attempts is whole
 * encrypted parts. At the end of an attempt it is kept for resume, discarded, or placed and made
 * durable by the group commit ({@link #place}, {@link #force}) before the transaction that makes
 * the file visible.
 *
 * <p>Threads: {@link #append} and {@link #flush} on the write lane, {@link #hashed} on the hash
 * lane, one chunk at a time each; the rest on a worker or the committer once the lanes are idle.
 */
public interface BlobUpload {

    /** The MD5 of the kept plaintext (of nothing for a new upload), to be continued by the hash lane. */
    MessageDigest digest();

    /** A receive buffer of {@code capacity} bytes suited to {@link #append} (aligned for direct I/O locally). */
    ByteBuffer allocate(int capacity);

    /**
     * Encrypts and stores the remaining bytes of {@code plaintext} (consumed); after the file's
     * last byte the last part is sealed and written out.
     *
     * @throws IOException when the store fails the write
     */
    void append(ByteBuffer plaintext) throws IOException;

    /** The hash lane has hashed the plaintext up to {@code end} into {@link #digest}'s digest. */
    default void hashed(long end, MessageDigest md5) {
    }

    /** Writes out what is gathered, so the complete parts are kept for resume (after an interruption). */
    void flush() throws IOException;

    /** The attempt ended early: closes, keeping the complete parts for resume. */
    void keep() throws IOException;

    /** The bytes are no use (a mismatch, a failed write): closes and deletes them. */
    void discard() throws IOException;

    /** Closes and leaves the bytes as they are (the server is stopping: they resume after the restart). */
    void closeQuietly();

    /** Lets go of the buffers (any thread, once, when the upload ends). */
    void release();

    /**
     * Commit, step 1 (every byte appended): puts the blob where {@link BlobStore#open} finds it.
     * Nothing refers to it yet, so a crash from here on leaves an unreferenced blob for the sweep.
     *
     * @return a directory whose entries must be synced before the blob is durable (local), or null
     */
    Path place() throws IOException;

    /** Commit, step 2: makes the blob's bytes durable, and closes. */
    void force() throws IOException;
}
