package dev.netdisk.cli.client;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.PartialFileWriter;
import dev.netdisk.protocol.ProtocolLimits;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;

/**
 * Copies a run of bytes from a source to a sink (a file to a data connection, or back) and hashes
 * them with MD5 on the way, so a transfer makes one pass over its bytes, not a hash pass and a copy
 * pass.
 *
 * <p>{@link #copyOverlapped}, used by every upload and download: one thread reads each chunk and
 * writes it, a second hashes it, through a ring of {@link #RING} page-aligned 1 MiB buffers, so
 * the copy and the hashing overlap on two cores (1 MiB buffers mean fewer hand-offs than smaller
 * ones; the figures are in docs/PERFORMANCE.md, "Why the code is shaped this way"). {@link #copy} is the one-thread form, for runs too short for a ring.
 *
 * <p>Stateless; the digest belongs to the caller.
 */
public final class HashingCopy {

    /** Size of the one buffer of {@link #copy}, in bytes: small enough to stay in a core's cache. */
    static final int BUFFER_BYTES = 256 << 10;

    /** Buffers in flight between the copying thread and the hashing thread of {@link #copyOverlapped}. */
    private static final int RING = 8;
    private static final int PAGE_BYTES = 4096;

    /** Tells the hashing thread that no more chunks come. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    /** Where the bytes come from. */
    interface Source {
        /** Reads at least one byte into {@code dst} (which has room); throws at a premature end. */
        void read(ByteBuffer dst) throws IOException;
    }

    /** Where the bytes go. */
    interface Sink {
        /** Writes every remaining byte of {@code src}. */
        void write(ByteBuffer src) throws IOException;
    }

    private HashingCopy() {
    }

    /**
     * Copies exactly {@code length} bytes from {@code source} to {@code sink}. The digest is fed the
     * first {@code prefixLength} bytes of {@code prefix} (a resumed transfer's kept bytes) and then
     * the bytes copied.
     *
     * @param prefix       a file whose start precedes the copied bytes, or {@code null}
     * @param progress     told the number of bytes copied so far, after every chunk
     * @param cancellation checked between chunks; may be {@code null}
     * @return the MD5 digest of the prefix followed by the copied bytes
     * @throws SocketException "cancelled" when cancelled
     */
    static MessageDigest copy(Source source, Sink sink, long length, Path prefix, long prefixLength,
                              LongConsumer progress, Cancellation cancellation) throws IOException {
        MessageDigest digest = Md5.newDigest();
        if (prefix != null && prefixLength > 0) {
            hashFile(digest, prefix, prefixLength, hashed -> { }, cancellation);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(BUFFER_BYTES, Math.max(length, 1)));
        long done = 0;
        while (done < length) {
            if (cancellation != null && cancellation.isCancelled()) {
                throw new SocketException("cancelled");
            }
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), length - done));
            while (buf.hasRemaining()) {
                source.read(buf);
            }
            buf.flip();
            ByteBuffer view = buf.duplicate();
            digest.update(buf);
            sink.write(view);
            done += view.limit();
            progress.accept(done);
        }
        return digest;
    }

    /**
     * {@link #copy}, with the MD5 on a second thread: this thread reads a chunk and writes it, then
     * hands it to the hashing thread and goes on with the next one, so the digest overlaps the copy.
     * The buffers handed to {@code sink} are direct and page-aligned (see {@link PartialFileWriter}).
     * A run of at most two {@link #BUFFER_BYTES} chunks is copied on this thread alone.
     *
     * <p>Same parameters, result and errors as {@link #copy}; an {@code InterruptedIOException} if
     * the calling thread is interrupted.
     */
    static MessageDigest copyOverlapped(Source source, Sink sink, long length, Path prefix, long prefixLength,
                                        LongConsumer progress, Cancellation cancellation) throws IOException {
        if (length <= 2L * BUFFER_BYTES) {
            return copy(source, sink, length, prefix, prefixLength, progress, cancellation);
        }
        MessageDigest digest = Md5.newDigest();
        if (prefix != null && prefixLength > 0) {
            hashFile(digest, prefix, prefixLength, hashed -> { }, cancellation);
        }
        BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(RING);
        BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(RING + 1);
        long chunks = (length + ProtocolLimits.CHUNK_BYTES - 1) / ProtocolLimits.CHUNK_BYTES;
        for (int i = 0; i < Math.min(RING, Math.max(2, chunks)); i++) {
            // Page-aligned, so a PartialFileWriter can hand them to the disk directly.
            free.add(ByteBuffer.allocateDirect(ProtocolLimits.CHUNK_BYTES + PAGE_BYTES).alignedSlice(PAGE_BYTES)
                    .limit(ProtocolLimits.CHUNK_BYTES).slice());
        }
        Thread hasher = new Thread(() -> {
            try {
                for (ByteBuffer chunk = full.take(); chunk != END; chunk = full.take()) {
                    digest.update(chunk);
                    chunk.clear();
                    free.add(chunk);
                }
            } catch (InterruptedException e) {
                // the copy failed: nobody waits for the digest
            }
        }, "netdisk-md5");
        hasher.setDaemon(true);
        hasher.start();
        boolean finished = false;
        try {
            long done = 0;
            while (done < length) {
                if (cancellation != null && cancellation.isCancelled()) {
                    throw new SocketException("cancelled");
                }
                ByteBuffer buf = free.take();
                buf.limit((int) Math.min(buf.capacity(), length - done));
                while (buf.hasRemaining()) {
                    source.read(buf);
                }
                buf.flip();
                sink.write(buf.duplicate());
                full.add(buf);
                done += buf.limit();
                progress.accept(done);
            }
            full.add(END);
            hasher.join();
            finished = true;
            return digest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during a transfer");
        } finally {
            if (!finished) {
                hasher.interrupt();
            }
        }
    }

    /**
     * The MD5 of a whole local file, as 32 lower-case hex digits; reads it in 256 KiB chunks on
     * this thread.
     *
     * @param cancellation checked between chunks; may be {@code null}
     * @throws TransferCancelledException {@code cancellation} was cancelled while hashing
     * @throws IOException the file cannot be read, or shrank while it was read
     */
    public static String md5(Path file, Cancellation cancellation) throws IOException {
        MessageDigest digest = Md5.newDigest();
        hashFile(digest, file, Files.size(file), done -> { }, cancellation);
        return Md5.hex(digest);
    }

    /**
     * Feeds the first {@code length} bytes of a file into {@code digest}.
     *
     * @param progress told the number of bytes hashed so far, after every chunk
     * @param cancellation checked between chunks; may be {@code null}
     */
    static void hashFile(MessageDigest digest, Path file, long length, LongConsumer progress,
                       Cancellation cancellation) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(NetdiskClient.CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            while (done < length) {
                if (cancellation != null && cancellation.isCancelled()) {
                    throw new TransferCancelledException("cancelled while hashing " + file);
                }
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), length - done));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException(file + " shrank while being hashed");
                }
                digest.update(buf.array(), 0, n);
                done += n;
                progress.accept(done);
            }
        }
    }
}
