package dev.netdisk.cli.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Copies a run of bytes from a source to a sink (a file to a data connection, or back) and hashes
 * them with MD5 on the way, so a transfer needs one pass over its bytes, not a hash pass and a copy
 * pass.
 *
 * <p>A copy of more than {@link #BUFFER_BYTES} bytes runs on two threads: the calling thread reads
 * into a ring of {@link #BUFFERS} direct buffers and writes each one to the sink, while a hashing
 * thread feeds the same buffers (read-only) into the digest. A buffer is reused only once both are
 * done with it, so memory stays at the ring, and on two cores hashing overlaps with the copy.
 * Direct buffers let file and socket channels move bytes without a copy through the Java heap.
 * Smaller copies hash on the calling thread.
 *
 * <p>Each call is independent; the digest belongs to the caller once the call returns.
 */
final class HashingCopy {

    /** Size of each ring buffer, in bytes. */
    static final int BUFFER_BYTES = 1 << 20;
    /** Number of ring buffers per copy. */
    static final int BUFFERS = 4;

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
     * @param progress     told the number of bytes copied so far, after every buffer
     * @param cancellation checked between buffers; may be {@code null}
     * @return the MD5 digest of the prefix followed by the copied bytes
     * @throws SocketException "cancelled" when cancelled
     */
    static MessageDigest copy(Source source, Sink sink, long length, Path prefix, long prefixLength,
                              LongConsumer progress, Cancellation cancellation) throws IOException {
        MessageDigest digest = Md5.newDigest();
        if (length <= BUFFER_BYTES) {
            if (prefix != null && prefixLength > 0) {
                Md5.update(digest, prefix, prefixLength, hashed -> { }, cancellation);
            }
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.max(length, 1));
            copyInline(source, sink, length, digest, buf, progress, cancellation);
            return digest;
        }
        Hasher hasher = new Hasher(digest, prefix, prefixLength);
        Thread thread = new Thread(hasher, "netdisk-md5");
        thread.setDaemon(true);
        thread.start();
        boolean ok = false;
        try {
            long done = 0;
            while (done < length) {
                checkCancelled(cancellation);
                ByteBuffer buf = hasher.takeFree();
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), length - done));
                while (buf.hasRemaining()) {
                    source.read(buf);
                }
                buf.flip();
                ByteBuffer view = buf.duplicate();
                hasher.filled.add(buf);
                sink.write(view);
                done += view.limit();
                progress.accept(done);
            }
            ok = true;
        } finally {
            hasher.filled.add(END);
            if (!ok) {
                thread.interrupt();
            }
        }
        hasher.awaitDone();
        return digest;
    }

    private static void copyInline(Source source, Sink sink, long length, MessageDigest digest, ByteBuffer buf,
                                   LongConsumer progress, Cancellation cancellation) throws IOException {
        long done = 0;
        while (done < length) {
            checkCancelled(cancellation);
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
    }

    private static void checkCancelled(Cancellation cancellation) throws SocketException {
        if (cancellation != null && cancellation.isCancelled()) {
            throw new SocketException("cancelled");
        }
    }

    /** The hashing thread: the prefix first, then every filled buffer in order, returning each to the free ring. */
    private static final class Hasher implements Runnable {
        private final MessageDigest digest;
        private final Path prefix;
        private final long prefixLength;
        // Capacity BUFFERS + 1: the end marker always fits, so adding never blocks.
        final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
        private final CountDownLatch done = new CountDownLatch(1);
        private int allocated;
        private volatile Throwable failure;

        Hasher(MessageDigest digest, Path prefix, long prefixLength) {
            this.digest = digest;
            this.prefix = prefix;
            this.prefixLength = prefixLength;
        }

        @Override
        public void run() {
            try {
                if (prefix != null && prefixLength > 0) {
                    Md5.update(digest, prefix, prefixLength, hashed -> { }, null);
                }
                while (true) {
                    ByteBuffer buf = filled.take();
                    if (buf == END) {
                        return;
                    }
                    digest.update(buf);
                    free.add(buf);
                }
            } catch (InterruptedException e) {
                failure = e;
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            } finally {
                done.countDown();
            }
        }

        /** A buffer both threads are done with: a new one while the ring is not full yet. */
        ByteBuffer takeFree() throws IOException {
            if (allocated < BUFFERS) {
                allocated++;
                return ByteBuffer.allocateDirect(BUFFER_BYTES);
            }
            try {
                while (true) {
                    ByteBuffer buf = free.poll(100, TimeUnit.MILLISECONDS);
                    if (buf != null) {
                        return buf;
                    }
                    if (done.getCount() == 0) {
                        rethrow();
                        throw new IOException("hashing stopped early");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the hashing thread");
            }
        }

        void awaitDone() throws IOException {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the hashing thread");
            }
            rethrow();
        }

        private void rethrow() throws IOException {
            Throwable t = failure;
            if (t instanceof IOException io) {
                throw io;
            } else if (t instanceof RuntimeException re) {
                throw re;
            } else if (t instanceof Error err) {
                throw err;
            } else if (t != null) {
                throw new IOException("hashing failed", t);
            }
        }
    }
}
