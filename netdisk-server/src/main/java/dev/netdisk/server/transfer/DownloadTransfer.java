package dev.netdisk.server.transfer;

import dev.netdisk.server.protocol.Reply;
import dev.netdisk.server.protocol.ReplyCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sends one stored file, from an offset to its end, on a data connection, then a final {@code 226}
 * line ({@code docs/PROTOCOL.md} section 6).
 *
 * <p>Bytes go with {@link FileChannel#transferTo} (sendfile on Linux: no copy through the JVM) in
 * bounded slices each time the socket is writable, so a slow reader never holds up the selector.
 * The stored MD5 is sent, never recomputed: blobs are immutable once stored.
 */
public final class DownloadTransfer implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(DownloadTransfer.class.getName());

    /** The most one writable event sends, in bytes: keeps every other connection's wait short. */
    static final long TURN_BYTES = 4L << 20;

    private final Ticket.Download ticket;
    private final FileChannel file;
    private final long end;
    private final long startNanos = System.nanoTime();
    private long position;
    private DataLink link;
    private boolean done;
    private boolean peerOutputEnded;
    private final Runnable onEnd;

    private DownloadTransfer(Ticket.Download ticket, FileChannel file, Runnable onEnd) {
        this.ticket = ticket;
        this.onEnd = onEnd;
        this.file = file;
        this.position = ticket.offset();
        this.end = ticket.node().size();
    }

    /**
     * Opens the blob of {@code ticket}'s file. Blocking: run on a worker.
     *
     * @param onEnd run once when the transfer ends, however it ends
     * @throws NoSuchFileException when the blob is gone (the file was replaced or deleted since the ticket)
     */
    public static DownloadTransfer open(Path blob, Ticket.Download ticket, Runnable onEnd) throws IOException {
        return new DownloadTransfer(ticket, FileChannel.open(blob, StandardOpenOption.READ), onEnd);
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
        return !done;
    }

    @Override
    public void onWritable() throws IOException {
        long budget = TURN_BYTES;
        while (position < end && budget > 0) {
            long n = file.transferTo(position, Math.min(budget, end - position), link.channel());
            if (n <= 0) {
                return; // the socket buffer is full: wait for the next writable event
            }
            position += n;
            budget -= n;
            link.counted(0, n);
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
        }
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
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
