package dev.netdisk.server.crypt;

import dev.netdisk.protocol.PartialFileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;

/**
 * Encrypts an upload's bytes into its partial file as they are appended, in the write lane: parts
 * of {@link DataKey#PART_BYTES} (format in {@link DataKey}), each Tink's encrypting channel over a
 * sink that gathers the ciphertext into the {@link PartialFileWriter}'s aligned buffers, so full
 * buffers still go to the disk with direct I/O and only the file's tail through the page cache.
 *
 * <p>Not thread-safe: the write lane's worker, one chunk at a time, in order.
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

    private final DataKey key;
    private final String blobId;
    private final Out writer;
    private final long end;
    private final Sink sink;
    /** The plaintext position of the next byte: the kept bytes plus those appended. */
    private long position;
    /** The part being written, or null between parts. */
    private WritableByteChannel part;

    /**
     * @param offset   the plaintext bytes kept before (a multiple of {@link DataKey#PART_BYTES}, or {@code size});
     *                 the writer is at the file position {@link DataKey#ciphertextSize}{@code (offset)}
     * @param size     the plaintext size of the whole file
     */
    public PartWriter(DataKey key, String blobId, PartialFileWriter writer, long offset, long size) {
        this(key, blobId, Out.of(writer), offset, size);
    }

    /** Encrypts into {@code writer}; otherwise as {@link #PartWriter(DataKey, String, PartialFileWriter, long, long)}. */
    public PartWriter(DataKey key, String blobId, Out writer, long offset, long size) {
        if (offset % DataKey.PART_BYTES != 0 && offset != size) {
            throw new IllegalArgumentException("a resume offset is a multiple of a part, or the whole file: " + offset);
        }
        this.key = key;
        this.blobId = blobId;
        this.writer = writer;
        this.position = offset;
        this.end = size;
        this.sink = new Sink(writer.allocate(DataKey.SEGMENT_BYTES));
    }

    /**
     * Encrypts and appends the remaining bytes of {@code plaintext} (consumed); after the file's
     * last byte the last part is sealed and everything written out.
     *
     * @throws IOException when the file system fails the write
     */
    public void append(ByteBuffer plaintext) throws IOException {
        while (plaintext.hasRemaining()) {
            if (part == null) {
                try {
                    part = key.streaming().newEncryptingChannel(sink, DataKey.partAad(blobId, position / DataKey.PART_BYTES));
                } catch (GeneralSecurityException e) {
                    throw new IOException("cannot start part " + position / DataKey.PART_BYTES + " of blob " + blobId, e);
                }
            }
            long room = DataKey.PART_BYTES - position % DataKey.PART_BYTES;
            ByteBuffer run = plaintext.slice();
            if (run.remaining() > room) {
                run.limit((int) room);
            }
            int n = run.remaining();
            while (run.hasRemaining()) {
                part.write(run);
            }
            plaintext.position(plaintext.position() + n);
            position += n;
            if (position % DataKey.PART_BYTES == 0 || position == end) {
                part.close(); // seals the part's last segment into the sink
                part = null;
            }
        }
        if (position == end) {
            sink.flush();
        }
    }

    /**
     * Writes out the ciphertext gathered so far: after an interrupted upload, so the complete parts
     * are on disk for resume (a part still open is cut short there and written again on resume).
     */
    public void flush() throws IOException {
        sink.flush();
    }

    /** Gathers ciphertext into aligned buffers and appends the full ones. */
    private final class Sink implements WritableByteChannel {
        private final ByteBuffer buffer;

        Sink(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            while (src.hasRemaining()) {
                int take = Math.min(src.remaining(), buffer.remaining());
                ByteBuffer run = src.slice();
                run.limit(take);
                buffer.put(run);
                src.position(src.position() + take);
                if (!buffer.hasRemaining()) {
                    buffer.flip();
                    writer.append(buffer);
                    buffer.clear();
                }
            }
            return n;
        }

        void flush() throws IOException {
            buffer.flip();
            writer.append(buffer);
            buffer.clear();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // Tink closes its destination with each part; the file stays open for the next one.
        }
    }
}
