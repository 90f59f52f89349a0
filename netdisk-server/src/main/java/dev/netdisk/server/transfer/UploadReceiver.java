package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartWriter;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.BlobUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Receives the bytes of one upload into its sink and hashes them: what {@link UploadTransfer} reads
 * from the socket goes here.
 *
 * <ul>
 *   <li><b>Streamed</b> (a file kept for resume): the bytes are read into a ring of up to
 *       {@link #CHUNKS} buffers of {@link ProtocolLimits#CHUNK_BYTES}. Each full buffer (or the one
 *       with the last bytes) goes to two lanes that run at the same time on the lane executor: one
 *       hashes the chunks in order, the other encrypts them ({@link PartWriter}: the data key's
 *       AES-GCM parts) and stores them in order through the {@link BlobUpload} (locally
 *       {@link dev.netdisk.protocol.PartialFileWriter}: direct I/O for a big upload; on S3 the
 *       parts of a multipart upload). Encryption is in the same pass as the write, not a second one. A buffer is refilled once both are
 *       done with it. Network, MD5 and disk overlap, and the selector never waits for either; when
 *       every buffer is busy, {@link #canRead} is false and TCP slows the client to the slower
 *       lane's pace.
 *   <li><b>In memory</b> (a small file, stored in the database): one buffer of the file's size, no
 *       lanes; {@link #finish} hashes it on a worker once every byte is in.
 * </ul>
 *
 * <p>Threading: every method runs on the selector thread, except {@link #finish} and
 * {@link #write}, which run on a worker once {@link #idle}. A lane's end is handed back to the
 * selector through the executor given to {@link #start}.
 */
final class UploadReceiver {

    /** The most receive buffers one upload uses. */
    static final int CHUNKS = 4;

    /** Every byte received: the content of a file in memory (null when streamed) and the MD5 of the whole file. */
    record Received(String md5, byte[] content) {
    }

    private final long expected;
    private final MessageDigest md5;
    /** Encrypts and stores the bytes: the write lane's work; null in memory. */
    private final BlobUpload upload;
    /** The plaintext bytes kept before this attempt. */
    private final long offset;
    /** Bytes the hash lane has hashed (hash lane only). */
    private long hashedBytes;
    private final Executor lanePool;
    private Executor selector;
    private Runnable onProgress;
    private Runnable onStopping;

    /** The buffer the selector reads into; null while every buffer is in a lane. */
    private ByteBuffer filling;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int allocated;
    private final Lane hashLane = new Lane(this::hash);
    private final Lane writeLane = new Lane(this::write);
    /** The first failure of a lane. */
    private IOException failure;
    private long received;
    private boolean stopped;

    private UploadReceiver(long expected, MessageDigest md5, BlobUpload upload, long offset, Executor lanePool) {
        this.expected = expected;
        this.md5 = md5;
        this.upload = upload;
        this.offset = offset;
        this.lanePool = lanePool;
        this.filling = newBuffer();
    }

    /** A small file's bytes, received into one buffer of its size. */
    static UploadReceiver inMemory(long expected) {
        return new UploadReceiver(expected, Md5.newDigest(), null, 0, null);
    }

    /**
     * Bytes encrypted and stored by {@code upload} (its {@link BlobStore#openUpload}, whose digest
     * already covers the {@code offset} plaintext bytes kept from an interrupted upload).
     *
     * @param offset   the plaintext bytes kept: a multiple of {@link DataKey#PART_BYTES}, or the whole file
     * @param expected the bytes still to come
     * @param lanePool where the hash and write lanes run
     */
    static UploadReceiver streamed(BlobUpload upload, long offset, long expected, Executor lanePool) {
        return new UploadReceiver(expected, upload.digest(), upload, offset, lanePool);
    }

    /**
     * @param selector    runs a task on the selector thread (a lane's end)
     * @param onProgress  run on the selector thread after a lane finished a chunk
     * @param onStopping  run when the lane executor refuses work (the server is stopping): the lanes
     *                    stop where they are, the file stays as written, for resume after the restart
     */
    void start(Executor selector, Runnable onProgress, Runnable onStopping) {
        this.selector = selector;
        this.onProgress = onProgress;
        this.onStopping = onStopping;
    }

    /** A receive buffer: the whole upload's size when that is less than a chunk. */
    private ByteBuffer newBuffer() {
        allocated++;
        int capacity = (int) Math.min(ProtocolLimits.CHUNK_BYTES, Math.max(expected, 1));
        return upload == null ? ByteBuffer.allocate(capacity) : upload.allocate(capacity);
    }

    boolean inMemory() {
        return upload == null;
    }

    /** The bytes received so far. */
    long received() {
        return received;
    }

    boolean allIn() {
        return received == expected;
    }

    /** Whether there is a buffer with room for more of the bytes. */
    boolean canRead() {
        return received < expected && filling != null && filling.hasRemaining();
    }

    /** Takes what belongs to the file from {@code from} (bytes that arrived with the {@code DATA} line). */
    void take(ByteBuffer from) {
        int n = (int) Math.min(Math.min(from.remaining(), expected - received), filling.remaining());
        ByteBuffer part = from.slice();
        part.limit(n);
        filling.put(part);
        from.position(from.position() + n);
        received += n;
    }

    /**
     * Reads what has arrived of the file from {@code channel} (non-blocking), never past its end.
     *
     * @return the bytes read, or -1 at the end of the stream
     */
    int read(ReadableByteChannel channel) throws IOException {
        if (!canRead()) {
            return 0;
        }
        int room = (int) Math.min(filling.remaining(), expected - received);
        int oldLimit = filling.limit();
        filling.limit(filling.position() + room);
        int n;
        try {
            n = channel.read(filling);
        } finally {
            filling.limit(oldLimit);
        }
        if (n > 0) {
            received += n;
        }
        return n;
    }

    /**
     * Streamed: hands a full buffer (or the one with the last bytes) to both lanes and takes the
     * next free buffer. In memory: nothing to do until every byte is in.
     */
    void pass() {
        if (inMemory() || failure != null) {
            return;
        }
        if (filling != null && filling.position() > 0 && (!filling.hasRemaining() || allIn())) {
            filling.flip();
            Chunk chunk = new Chunk(filling);
            hashLane.offer(chunk);
            writeLane.offer(chunk);
            filling = null;
        }
        if (filling == null && !allIn() && !stopped) {
            filling = free.poll();
            if (filling == null && allocated < CHUNKS) {
                filling = newBuffer();
            }
        }
    }

    /** Whether no lane is running or has a chunk waiting (always, in memory). */
    boolean idle() {
        return hashLane.idle() && writeLane.idle();
    }

    /** Whether every byte received has been handed to the lanes (always, in memory). */
    boolean drained() {
        return inMemory() || filling == null || filling.position() == 0;
    }

    /** The first failure of a lane (the file has a hole there), or null. */
    IOException failure() {
        return failure;
    }

    /** The peer went away: no buffer is refilled. */
    void stop() {
        stopped = true;
    }

    /**
     * After {@link #stop}, once {@link #idle}: the bytes still in the receive buffer (never handed
     * to a lane), ready to be {@link #write}n so they are kept too.
     */
    ByteBuffer rest() {
        ByteBuffer rest = filling != null ? filling : ByteBuffer.allocate(0);
        filling = null;
        rest.flip();
        return rest;
    }

    /** Worker, once {@link #idle} and every byte is in: the MD5 of the whole file, and a small file's content. */
    Received finish() {
        byte[] content = null;
        if (inMemory()) {
            content = Arrays.copyOf(filling.array(), (int) expected);
            md5.update(content);
        }
        return new Received(Md5.hex(md5), content);
    }

    /** Worker (hash lane): feeds one chunk to the MD5. */
    private IOException hash(ByteBuffer chunk) {
        hashedBytes += chunk.remaining();
        md5.update(chunk);
        upload.hashed(offset + hashedBytes, md5);
        return null;
    }

    /**
     * Worker (write lane, or once idle): encrypts and appends {@code chunk} to the file (the last
     * chunk seals the last part). Returns the failure, or null.
     */
    IOException write(ByteBuffer chunk) {
        try {
            upload.append(chunk);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * Worker, after {@link #stop}: writes {@link #rest} and the ciphertext gathered so far, so the
     * complete parts are kept for resume. Returns the failure, or null.
     */
    IOException writeKept(ByteBuffer rest) {
        IOException error = write(rest);
        if (error != null) {
            return error;
        }
        try {
            upload.flush();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** One received buffer on its way through both lanes. */
    private static final class Chunk {
        final ByteBuffer buffer;
        int lanesLeft = 2;

        Chunk(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }

    /** Runs one kind of work on chunks in arrival order, one chunk at a time. Its state is the selector's. */
    private final class Lane {
        private final Function<ByteBuffer, IOException> work;
        private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
        private boolean running;

        Lane(Function<ByteBuffer, IOException> work) {
            this.work = work;
        }

        void offer(Chunk chunk) {
            queue.add(chunk);
            pump();
        }

        boolean idle() {
            return !running && queue.isEmpty();
        }

        private void pump() {
            if (running || queue.isEmpty()) {
                return;
            }
            Chunk chunk = queue.poll();
            if (failure != null) {
                // Failed already: the rest is not worth the work.
                chunkDone(chunk, null);
                pump();
                return;
            }
            running = true;
            ByteBuffer view = chunk.buffer.duplicate();
            try {
                lanePool.execute(() -> {
                    IOException error = work.apply(view);
                    selector.execute(() -> {
                        running = false;
                        chunkDone(chunk, error);
                        pump();
                        onProgress.run();
                    });
                });
            } catch (RejectedExecutionException e) {
                // The server is stopping: this lane stays busy for good, so the upload never finishes.
                onStopping.run();
            }
        }
    }

    /** Selector: a lane is done with a chunk; the buffer is free once both are. */
    private void chunkDone(Chunk chunk, IOException error) {
        if (error != null && failure == null) {
            failure = error;
        }
        if (--chunk.lanesLeft == 0) {
            chunk.buffer.clear();
            free.add(chunk.buffer);
            if (filling == null && !stopped && received < expected) {
                filling = free.poll();
            }
        }
    }

    /** Lets go of the writer's buffers (any thread, once, when the upload ends). */
    void close() {
        if (upload != null) {
            upload.release();
        }
    }
}
