package dev.netdisk.server.net;

import dev.netdisk.protocol.Reply;
import dev.netdisk.server.transfer.DataLink;
import dev.netdisk.server.transfer.DataTransfer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * A data connection once {@code DATA} handed it to a transfer: what the transfer may do with its
 * {@link Connection} ({@link DataLink}), and the connection's events forwarded to the transfer.
 * The connection counts it in the server's transfers from {@link #start} until {@link #ended}.
 *
 * <p>Selector thread only, but for {@link #execute}.
 */
final class TransferLink implements DataLink {

    private final Connection connection;
    private final Wire wire;
    private final EventLoop loop;
    private final DataTransfer transfer;
    private boolean counted;

    TransferLink(Connection connection, Wire wire, EventLoop loop, DataTransfer transfer) {
        this.connection = connection;
        this.wire = wire;
        this.loop = loop;
        this.transfer = transfer;
    }

    /** Hands the transfer the connection and the bytes that came after the {@code DATA} line ({@code in}, write mode). */
    void start(ByteBuffer in) {
        counted = true;
        loop.stats().transfer(transfer.countsAsUpload(), +1);
        in.flip();
        try {
            transfer.start(this, in);
        } finally {
            in.compact();
        }
    }

    /** The transfer no longer counts as running (finished, or its connection closed). */
    void ended() {
        if (counted) {
            counted = false;
            loop.stats().transfer(transfer.countsAsUpload(), -1);
        }
    }

    void onReadable() throws IOException {
        transfer.onReadable();
    }

    /** The queue is written: the transfer may write its own bytes. Returns whether it did anything. */
    boolean onWritable() throws IOException {
        if (!transfer.wantsWrite()) {
            return false;
        }
        transfer.onWritable();
        return true;
    }

    /** The interest ops: the transfer's reading stops while its own replies wait unread. */
    int interestOps(boolean outputBelowHighWater) {
        int ops = 0;
        if (transfer.wantsRead() && outputBelowHighWater) {
            ops |= SelectionKey.OP_READ;
        }
        if (wire.outputPending() || transfer.wantsWrite()) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /** Silent too long: writes the transfer's last words if the socket takes them at once; the caller closes. */
    void stalled(Duration after) {
        Reply last = transfer.stalledReply(after);
        if (last != null && wire.out().isEmpty()) {
            try {
                wire.io().write(ByteBuffer.wrap(last.toBytes()));
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Whether a last line may be written before the connection is ended early ({@link DataTransfer#takesLastLine}). */
    boolean takesLastLine() {
        return transfer.takesLastLine();
    }

    /** The connection closed before the transfer finished. */
    void closed() {
        ended();
        transfer.onClosed();
    }

    // ---- DataLink ----

    @Override
    public ByteChannel channel() {
        return wire.io();
    }

    @Override
    public boolean write(byte[] bytes) {
        connection.queue(bytes);
        return wire.out().isEmpty();
    }

    @Override
    public void finish(Reply reply) {
        ended();
        connection.finishTransfer(reply);
    }

    @Override
    public void interestChanged() {
        connection.interestChanged();
    }

    @Override
    public void abort(String reason) {
        connection.close(reason);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public void counted(long bytesIn, long bytesOut) {
        loop.stats().bytesIn(bytesIn);
        loop.stats().bytesOut(bytesOut);
    }
}
