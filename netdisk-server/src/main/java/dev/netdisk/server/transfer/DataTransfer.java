package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A transfer running on a data connection: the outcome of {@code DATA}. Once its
 * {@link #preliminary()} reply is queued, the connection hands it every readable or writable event.
 *
 * <p>All methods are called on the selector thread and must not block: disk writes and hashing go
 * to the worker pool.
 */
public interface DataTransfer extends Outcome {

    /** The {@code 150} reply sent before the bytes. */
    Reply preliminary();

    /**
     * Takes over the connection.
     *
     * @param leftover bytes that arrived after the {@code DATA} line (read mode); the transfer
     *                 consumes what it needs
     */
    void start(DataLink link, ByteBuffer leftover);

    /** Whether the connection should watch for readable bytes now. */
    boolean wantsRead();

    /** The socket has bytes (or reached end of stream). */
    void onReadable() throws IOException;

    /** Whether the connection should watch for writability now (the reply queue is empty). */
    boolean wantsWrite();

    /** The socket can take more bytes and every queued reply has been written. */
    void onWritable() throws IOException;

    /**
     * The line written (if the socket takes it at once) before a stalled data connection is closed,
     * or {@code null} to close silently. Only a transfer whose peer reads nothing but the final line
     * may return one.
     *
     * @param after how long the connection was silent
     */
    default Reply stalledReply(java.time.Duration after) {
        return null;
    }

    /**
     * Whether a last line may be written when the connection is ended early (a revoked ticket):
     * only when the peer reads nothing from it but its final line, as a ticket's upload does.
     */
    default boolean takesLastLine() {
        return false;
    }

    /** Whether the server's counters count it as an upload (a batch counts as one). */
    boolean countsAsUpload();

    /** The connection closed before the transfer finished (peer gone, error, server shutdown). */
    void onClosed();
}
