package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sends one stored file, from an offset to its end, on a data connection, then a final {@code 226}
 * line ({@code docs/PROTOCOL.md} section 6).
 *
 * <p>Bytes go with {@link FileChannel#transferTo} (sendfile on Linux: no copy through the JVM) in
 * turns of at most {@link #TURN_BYTES}, each time the socket is writable. A turn runs on the pool
 * {@link TransferPools#forBytes} picks (bulk for a big file, the workers for a
 * small one), not on the selector: sendfile waits for the disk when the file is not in the page
 * cache (and an upload written with direct I/O is not), and the selector must never wait for the
 * disk. A turn ends early when the socket's buffer is full, so a slow reader holds no thread.
 * While a turn runs the selector neither writes the socket nor waits for it to be writable.
 * The stored MD5 is sent, never recomputed: blobs are immutable once stored.
 *
 * <p>A small file kept in the database ({@link dev.netdisk.server.store.InlineBlobs}) is sent from
 * memory, by the selector thread itself: a non-blocking write of at most 64 KiB, no disk.
 *
 * <p>Threads: everything but {@link #sendTurn} runs on the selector thread.
 */
public final class DownloadTransfer implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(DownloadTransfer.class.getName());

    /** The most one turn sends, in bytes: a pool thread goes round every download in turn. */
    static final long TURN_BYTES = 4L << 20;

    private final Ticket.Download ticket;
    /** The blob file, or null when the bytes are {@link #content}. */
    private final FileChannel file;
    /** A small file's bytes, read from the database; null when they come from {@link #file}. */
    private final byte[] content;
    private final Executor pool;
    private final long end;
    private final long startNanos = System.nanoTime();
    private long position;
    private DataLink link;
    private boolean done;
    /** A turn is running on the pool. */
    private boolean sending;
    private boolean peerOutputEnded;
    private final Runnable onEnd;

    private DownloadTransfer(Ticket.Download ticket, FileChannel file, byte[] content, Executor pool, Runnable onEnd) {
        this.ticket = ticket;
        this.pool = pool;
        this.onEnd = onEnd;
        this.file = file;
        this.content = content;
        this.position = ticket.offset();
        this.end = ticket.node().size();
    }

    /**
     * Opens the blob of {@code ticket}'s file. Blocking: run on a worker.
     *
     * @param pool  where the sending turns run (never the selector thread)
     * @param onEnd run once when the transfer ends, however it ends
     * @throws NoSuchFileException when the blob is gone (the file was replaced or deleted since the ticket)
     */
    public static DownloadTransfer open(Path blob, Ticket.Download ticket, Executor pool, Runnable onEnd)
            throws IOException {
        return new DownloadTransfer(ticket, FileChannel.open(blob, StandardOpenOption.READ), null, pool, onEnd);
    }

    /**
     * Sends {@code content}, a small file's bytes as stored in the database (all of them: the
     * ticket's offset is where sending starts).
     *
     * @param onEnd run once when the transfer ends, however it ends
     */
    public static DownloadTransfer ofContent(byte[] content, Ticket.Download ticket, Runnable onEnd) {
        if (content.length != ticket.node().size()) {
            throw new IllegalStateException("stored content of " + ticket.path() + " has " + content.length
                    + " bytes, not " + ticket.node().size());
        }
        return new DownloadTransfer(ticket, null, content, null, onEnd);
    }

    @Override
    public Reply preliminary() {
        return Reply.of(ReplyCode.FILE_STATUS_OK, "sending " + (end - position) + " bytes from offset " + position);
    }

    @Override
    public void start(DataLink dataLink, ByteBuffer leftover) {
        this.link = dataLink;
        leftover.position(leftover.limit());
        dataLink.interestChanged();
    }

    @Override
    public boolean wantsRead() {
        // Anything the peer sends is discarded. Its end of stream may be a half-close after the DATA
        // line (nc -N): stop reading then; a peer that is really gone makes the next write fail.
        return !peerOutputEnded;
    }

    @Override
    public void onReadable() throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(512);
        if (link.channel().read(sink) < 0) {
            peerOutputEnded = true;
        }
    }

    @Override
    public boolean wantsWrite() {
        return !done && !sending;
    }

    @Override
    public void onWritable() {
        if (done || sending) {
            return;
        }
        if (content != null) {
            // From memory: a write that never blocks, so the selector does it.
            long sent = 0;
            IOException failure = null;
            try {
                sent = link.channel().write(ByteBuffer.wrap(content, (int) position, (int) (end - position)));
            } catch (IOException e) {
                failure = e;
            }
            turnDone(sent, failure);
            return;
        }
        sending = true;
        long from = position;
        try {
            pool.execute(() -> {
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
            link.abort("server stopping");
        }
    }

    /**
     * Pool thread: sends from {@code from} until {@link #TURN_BYTES} are sent, the file ends, or the
     * socket's buffer is full.
     *
     * @return the bytes sent
     * @throws IOException when the peer is gone or the file cannot be read
     */
    private long sendTurn(long from) throws IOException {
        long at = from;
        long budget = TURN_BYTES;
        while (at < end && budget > 0) {
            long n = file.transferTo(at, Math.min(budget, end - at), link.channel());
            if (n <= 0) {
                break;
            }
            at += n;
            budget -= n;
        }
        return at - from;
    }

    /** Selector: a turn is over; finish, fail, or wait for the socket to take more. */
    private void turnDone(long sent, IOException failure) {
        sending = false;
        if (done) {
            return; // the connection closed during the turn
        }
        position += sent;
        link.counted(0, sent);
        if (failure != null) {
            link.abort(failure.getMessage());
            return;
        }
        if (position == end) {
            done = true;
            close();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            LOG.log(System.Logger.Level.INFO, () -> String.format(
                    "download sent verified=by-client user=%s path=%s bytes=%d seconds=%.3f MiB/s=%.1f", ticket.user().name(),
                    ticket.path(), end - ticket.offset(), seconds,
                    (end - ticket.offset()) / 1048576.0 / Math.max(seconds, 1e-9)));
            link.finish(Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + end + " md5=" + ticket.node().md5()
                    + " sent " + ticket.path()));
            return;
        }
        link.interestChanged();
    }

    @Override
    public void onClosed() {
        if (!done) {
            done = true;
            close();
            LOG.log(System.Logger.Level.INFO, () -> "download interrupted user=" + ticket.user().name()
                    + " path=" + ticket.path() + " at " + position + " of " + end + " bytes");
        }
    }

    private void close() {
        onEnd.run();
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
