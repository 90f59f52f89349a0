package dev.netdisk.server.crypt;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.StreamSegmentEncrypter;
import dev.netdisk.protocol.PartialFileWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Encrypts an upload's bytes into its partial file as they are appended, in the write lane: parts
 * of {@link DataKey#PART_BYTES} (format in {@link DataKey}), each a Tink streaming ciphertext made
 * segment by segment with Tink's segment encrypter, exactly as Tink's encrypting channel makes it
 * (a segment is sealed as the last only when the part ends), into a sink that gathers the
 * ciphertext into the {@link PartialFileWriter}'s aligned buffers, so full buffers still go to the
 * disk with direct I/O and only the file's tail through the page cache.
 *
 * <p>Given an executor for its writes, a writer has two such buffers: one goes to the disk on the
 * executor while the next segments are sealed into the other, so the disk's time (a direct write
 * waits for the device) overlaps the encryption instead of following it. Without one, every
 * buffer is written on the calling thread.
 *
 * <p>The plaintext and ciphertext segment buffers are this writer's, reused by every part: Tink's
 * channel allocates both for each part, garbage that set off the server's young collections during
 * uploads (docs/PERFORMANCE.md, "`NOOP` during four uploads").
 *
 * <p>Not thread-safe: the write lane's worker, one chunk at a time, in order. The one write on the
 * executor at a time is handed over and awaited through a {@link FutureTask}, which orders it
 * with this thread's work.
 */
public final class PartWriter {

    /**
     * Where the ciphertext goes, in order: a {@link PartialFileWriter} (its aligned buffers and
     * direct I/O), or an object store's part buffer.
     */
    public interface Out {
        /** A buffer of {@code capacity} bytes that {@link #append} takes efficiently. */
        ByteBuffer allocate(int capacity);

        /** Writes the remaining bytes of {@code ciphertext} (consumed). */
        void append(ByteBuffer ciphertext) throws IOException;

        /** A partial file's writer. */
        static Out of(PartialFileWriter writer) {
            return new Out() {
                @Override
                public ByteBuffer allocate(int capacity) {
                    return writer.allocate(capacity);
                }

                @Override
                public void append(ByteBuffer ciphertext) throws IOException {
                    writer.append(ciphertext);
                }
            };
        }
    }

    private final AesGcmHkdfStreaming aead;
    private final String blobId;
    private final Out writer;
    /** Where full buffers are written while the next fills; null: on the calling thread. */
    private final Executor writes;
    private final long end;
    private final Sink sink;
    /** Plaintext of the part's current segment, not yet sealed. */
    private final ByteBuffer pending;
    /** One sealed segment on its way to the sink. */
    private final ByteBuffer sealed;
    /** The plaintext position of the next byte: the kept bytes plus those appended. */
    private long position;
    /** The part being written, or null between parts. */
    private StreamSegmentEncrypter part;

    /**
     * @param offset   the plaintext bytes kept before (a multiple of {@link DataKey#PART_BYTES}, or {@code size});
     *                 the writer is at the file position {@link DataKey#ciphertextSize}{@code (offset)}
     * @param size     the plaintext size of the whole file
     */
    public PartWriter(DataKey key, String blobId, PartialFileWriter writer, long offset, long size) {
        this(key, blobId, Out.of(writer), offset, size, null);
    }

    /**
     * Encrypts into {@code writer}; otherwise as {@link #PartWriter(DataKey, String, PartialFileWriter, long, long)}.
     *
     * @param writes where {@code writer.append} runs for full buffers, overlapping the encryption of
     *               the next ones; null to write on the calling thread. When it refuses (shutting
     *               down), the buffer is written on the calling thread.
     */
    public PartWriter(DataKey key, String blobId, Out writer, long offset, long size, Executor writes) {
        if (offset % DataKey.PART_BYTES != 0 && offset != size) {
            throw new IllegalArgumentException("a resume offset is a multiple of a part, or the whole file: " + offset);
        }
        this.aead = key.streaming();
        this.blobId = blobId;
        this.writer = writer;
        this.writes = writes;
        this.position = offset;
        this.end = size;
        this.sink = new Sink(writer.allocate(DataKey.SEGMENT_BYTES));
        // No segment holds more plaintext than the upload has left: a small file's buffers are small.
        int most = (int) Math.min(aead.getPlaintextSegmentSize(), Math.max(0, size - offset));
        this.pending = ByteBuffer.allocate(most);
        this.sealed = ByteBuffer.allocate(most + aead.getCiphertextSegmentSize() - aead.getPlaintextSegmentSize());
    }

    /**
     * Encrypts and appends the remaining bytes of {@code plaintext} (consumed); after the file's
     * last byte the last part is sealed and everything written out.
     *
     * @throws IOException when the file system fails the write, or {@code plaintext} goes past the size
     */
    public void append(ByteBuffer plaintext) throws IOException {
        if (plaintext.remaining() > end - position) {
            throw new IOException(plaintext.remaining() + " bytes to append at " + position + " of a " + end + "-byte file");
        }
        try {
            while (plaintext.hasRemaining()) {
                if (part == null) {
                    startPart();
                }
                long partLeft = Math.min(DataKey.PART_BYTES - position % DataKey.PART_BYTES, end - position);
                int take = (int) Math.min(plaintext.remaining(), partLeft);
                int room = pending.remaining();
                if (take == partLeft && partLeft <= room) {
                    seal(plaintext, take, true);  // the part's last segment: the part ends here
                    part = null;
                } else if (take >= room) {
                    seal(plaintext, room, false);  // a full segment, and more of the part follows
                    pending.limit(Math.min(pending.capacity(), aead.getPlaintextSegmentSize()));
                } else {
                    ByteBuffer run = plaintext.slice();
                    run.limit(take);
                    pending.put(run);
                    plaintext.position(plaintext.position() + take);
                    position += take;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt part " + position / DataKey.PART_BYTES + " of blob " + blobId, e);
        }
        if (position == end) {
            sink.flush();
        }
    }

    /** Writes a new part's header; its first segment holds less plaintext, as the header takes its room. */
    private void startPart() throws GeneralSecurityException, IOException {
        part = aead.newStreamSegmentEncrypter(DataKey.partAad(blobId, position / DataKey.PART_BYTES));
        sink.write(part.getHeader());
        pending.clear();
        pending.limit(Math.min(pending.capacity(), aead.getPlaintextSegmentSize() - aead.getCiphertextOffset()));
    }

    /** Seals what is pending and the next {@code n} bytes of {@code plaintext} (consumed) as one segment. */
    private void seal(ByteBuffer plaintext, int n, boolean last) throws GeneralSecurityException, IOException {
        ByteBuffer run = plaintext.slice();
        run.limit(n);
        pending.flip();
        sealed.clear();
        if (run.hasRemaining()) {
            part.encryptSegment(pending, run, last, sealed);
        } else {
            part.encryptSegment(pending, last, sealed);
        }
        sealed.flip();
        sink.write(sealed);
        pending.clear();
        plaintext.position(plaintext.position() + n);
        position += n;
    }

    /**
     * Writes out the ciphertext gathered so far: after an interrupted upload, so the complete parts
     * are on disk for resume (a part still open is cut short there and written again on resume).
     */
    public void flush() throws IOException {
        sink.flush();
    }

    /**
     * Gathers ciphertext into aligned buffers and appends the full ones: on {@link #writes} while
     * the other buffer fills, when there is one.
     */
    private final class Sink {
        /** The buffer being filled. */
        private ByteBuffer buffer;
        /** The other buffer: being written, or written; null until the first hand-over. */
        private ByteBuffer other;
        /** The write of {@link #other} on {@link #writes}, or null when none is unfinished. */
        private FutureTask<Void> writing;

        Sink(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            while (src.hasRemaining()) {
                int take = Math.min(src.remaining(), buffer.remaining());
                ByteBuffer run = src.slice();
                run.limit(take);
                buffer.put(run);
                src.position(src.position() + take);
                if (!buffer.hasRemaining()) {
                    handOver();
                }
            }
            return n;
        }

        /** Writes the full buffer: on {@link #writes}, filling the other meanwhile, or here. */
        private void handOver() throws IOException {
            awaitWrite();
            buffer.flip();
            if (writes == null) {
                writer.append(buffer);
                buffer.clear();
                return;
            }
            ByteBuffer full = buffer;
            buffer = other != null ? other : writer.allocate(full.capacity());
            other = full;
            buffer.clear();
            FutureTask<Void> task = new FutureTask<>(() -> {
                writer.append(full);
                return null;
            });
            try {
                writes.execute(task);
                writing = task;
            } catch (RejectedExecutionException e) {
                writer.append(full);
            }
        }

        /** Waits for the write on {@link #writes}, if one is unfinished, and rethrows its failure. */
        private void awaitWrite() throws IOException {
            FutureTask<Void> task = writing;
            if (task == null) {
                return;
            }
            writing = null;
            try {
                task.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io
                        : new IOException("cannot write blob " + blobId, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while blob " + blobId + " was written");
            }
        }

        void flush() throws IOException {
            awaitWrite();
            buffer.flip();
            writer.append(buffer);
            buffer.clear();
        }
    }
}
