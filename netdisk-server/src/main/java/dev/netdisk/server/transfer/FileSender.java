package dev.netdisk.server.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sends one download's bytes from its blob file ({@link Body.FileRange}) on a data connection,
 * after its answer's line ({@link DataSession}).
 *
 * <p>An encrypted blob (every one stored since encryption at rest) is decrypted in pieces on the
 * pool thread and written ({@link #decryptTurn}); a segment that fails its check ends the download
 * with an {@link dev.netdisk.server.crypt.IntegrityException} before any of its bytes are sent.
 *
 * <p>Bytes go with {@link java.nio.channels.FileChannel#transferTo} (sendfile on Linux: no copy
 * through the JVM) in turns of at most {@link #TURN_BYTES}, each time the socket is writable. A turn
 * runs on the range's pool ({@link TransferPools#forBytes}: bulk for a big file, the workers for a
 * small one), not on the selector: sendfile waits for the disk when the file is not in the page
 * cache (and an upload written with direct I/O is not), and the selector must never wait for the
 * disk. A turn ends early when the socket's buffer is full, so a slow reader holds no thread. While
 * a turn runs the selector neither writes the socket nor waits for it to be writable.
 *
 * <p>Threads: everything but the turn itself runs on the selector thread.
 */
final class FileSender {

    /** The most one turn sends, in bytes: a pool thread goes round every download in turn. */
    static final long TURN_BYTES = 4L << 20;
    /** The piece of the file read at once when the bytes must pass through the JVM (TLS). */
    private static final int COPY_BYTES = 256 << 10;

    /** What the session hears from the sender, on the selector thread. */
    interface Done {
        /** Every byte was sent. */
        void sent(long bytes);

        /** The socket or the file failed: the connection is aborted. */
        void failed(IOException failure);
    }

    private final Body.FileRange range;
    private final DataLink link;
    private final Done done;
    private long position;
    /** Decrypted bytes the socket has not taken yet (encrypted blobs only); touched by one turn at a time. */
    private ByteBuffer pending;
    /** A turn is running on the pool. */
    private boolean sending;
    private boolean over;

    FileSender(Body.FileRange range, DataLink link, Done done) {
        this.range = range;
        this.link = link;
        this.done = done;
        this.position = range.from();
    }

    /** Whether the session should call {@link #turn} once the socket is writable. */
    boolean wantsWrite() {
        return !over && !sending;
    }

    /** Selector: the socket is writable; one turn goes to the pool. */
    void turn() {
        if (over || sending) {
            return;
        }
        if (position == range.to()) {
            finish();
            return;
        }
        sending = true;
        long from = position;
        try {
            range.pool().execute(() -> {
                long sent = 0;
                IOException failure = null;
                try {
                    sent = sendTurn(from);
                } catch (IOException e) {
                    failure = e;
                }
                long n = sent;
                IOException f = failure;
                link.execute(() -> turnDone(n, f));
            });
        } catch (RejectedExecutionException e) {
            // The server is stopping: the connection closes with it.
            sending = false;
            over = true;
            done.failed(new IOException("server stopping"));
        }
    }

    /**
     * Pool thread: sends from {@code from} until {@link #TURN_BYTES} are sent, the range ends, or
     * the socket's buffer is full.
     *
     * @return the bytes sent
     * @throws IOException when the peer is gone or the file cannot be read
     */
    private long sendTurn(long from) throws IOException {
        WritableByteChannel out = link.channel();
        if (range.plaintext() != null) {
            return decryptTurn(from, out);
        }
        if (!(out instanceof SocketChannel) || range.file().file() == null) {
            return copyTurn(from, out);
        }
        long at = from;
        long budget = TURN_BYTES;
        while (at < range.to() && budget > 0) {
            long n = range.file().file().transferTo(at, Math.min(budget, range.to() - at), link.channel());
            if (n <= 0) {
                break;
            }
            at += n;
            budget -= n;
        }
        return at - from;
    }

    /**
     * Pool thread: a turn through a channel that is not the socket itself (TLS): the file is read
     * in {@link #COPY_BYTES} pieces, each encrypted in full-sized records, where {@code transferTo}
     * would hand the channel 8 KiB at a time. Bytes the socket did not take are read again next turn.
     */
    private long copyTurn(long from, WritableByteChannel out) throws IOException {
        ByteBuffer piece = ByteBuffer.allocate(COPY_BYTES);
        long at = from;
        long budget = TURN_BYTES;
        while (at < range.to() && budget > 0) {
            piece.clear();
            piece.limit((int) Math.min(piece.capacity(), Math.min(budget, range.to() - at)));
            if (range.file().read(piece, at) < 0) {
                throw new IOException("blob ends at " + at + " of " + range.to() + " bytes");
            }
            piece.flip();
            int written = out.write(piece);
            at += written;
            budget -= written;
            if (piece.hasRemaining()) {
                break; // the socket's buffer is full
            }
        }
        return at - from;
    }

    /**
     * Pool thread: a turn of an encrypted blob (no sendfile: the bytes must pass through the JVM to
     * be decrypted). Plaintext is decrypted in {@link #COPY_BYTES} pieces, each segment
     * authenticated before any of its bytes are written; bytes the socket did not take wait in
     * {@link #pending} for the next turn, rather than being decrypted again.
     */
    private long decryptTurn(long from, WritableByteChannel out) throws IOException {
        if (pending == null) {
            pending = ByteBuffer.allocate(COPY_BYTES).flip();
        }
        long at = from; // the plaintext position of the first byte of pending
        long budget = TURN_BYTES;
        long sent = 0;
        while (budget > 0) {
            if (!pending.hasRemaining()) {
                at = from + sent;
                if (at >= range.to()) {
                    break;
                }
                pending.clear();
                pending.limit((int) Math.min(pending.capacity(), range.to() - at));
                while (pending.hasRemaining()) {
                    if (range.plaintext().read(pending, at + pending.position()) < 0) {
                        throw new IOException("blob ends at " + (at + pending.position()) + " of " + range.to() + " bytes");
                    }
                }
                pending.flip();
            }
            int written = out.write(pending);
            sent += written;
            budget -= written;
            if (pending.hasRemaining()) {
                break; // the socket's buffer is full
            }
        }
        return sent;
    }

    /** Selector: a turn is over; finish, fail, or wait for the socket to take more. */
    private void turnDone(long sent, IOException failure) {
        sending = false;
        if (over) {
            range.close(); // the connection closed during the turn
            return;
        }
        position += sent;
        link.counted(0, sent);
        if (failure != null) {
            over = true;
            range.close();
            done.failed(failure);
            return;
        }
        if (position == range.to()) {
            finish();
            return;
        }
        link.interestChanged();
    }

    private void finish() {
        over = true;
        range.close();
        done.sent(range.length());
    }

    /** The connection closed: a running turn's end is ignored, and the file closed. */
    void close() {
        if (!over) {
            over = true;
            if (!sending) {
                range.close();
            }
        }
    }
}
