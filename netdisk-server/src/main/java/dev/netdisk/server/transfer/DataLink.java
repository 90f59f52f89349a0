package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Reply;
import java.nio.channels.ByteChannel;

/**
 * What a transfer may do with its data connection. Implemented by the network layer.
 *
 * <p>Every method but {@link #execute} must be called on the selector thread.
 */
public interface DataLink {

    /**
     * The socket, non-blocking, or its TLS view once the connection started TLS (either way a read
     * or write that returns 0 means "wait for the selector"). Read or write it only from the
     * selector thread, or from one thread the transfer hands the writing to while it keeps the
     * selector from writing (a download's turn).
     */
    ByteChannel channel();

    /**
     * Queues bytes the transfer framed itself, before its final reply ({@link BatchTransfer}: each
     * item's reply line, and after a {@code 150} the file's bytes), and writes what the socket
     * takes now. While the peer does not read them, the connection stops reading.
     *
     * @return whether they were all written; if not, the connection calls
     *         {@link DataTransfer#onWritable} once its queue is written, if the transfer
     *         {@link DataTransfer#wantsWrite}
     */
    boolean write(byte[] bytes);

    /** Queues the final reply and closes the connection once it is written. */
    void finish(Reply reply);

    /** Recomputes the connection's interest ops after {@link DataTransfer#wantsRead}/{@code wantsWrite} changed. */
    void interestChanged();

    /** Closes the connection at once, without a reply (a failed send; the peer sees the end of the stream). */
    void abort(String reason);

    /** Runs {@code task} on the selector thread; callable from any thread. */
    void execute(Runnable task);

    /** Adds bytes the transfer moved on the socket to the server's counters (selector thread). */
    default void counted(long bytesIn, long bytesOut) {
    }
}
