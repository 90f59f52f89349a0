package dev.netdisk.server.net;

import dev.netdisk.server.ops.ServerStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * How a {@link Connection}'s bytes travel: the socket in clear, or, once {@code AUTH TLS} was
 * answered, through a {@link TlsChannel} after its {@link TlsHandshake}; and the bytes queued for
 * the peer ({@link OutputQueue}) with the limit on events a client leaves unread.
 *
 * <p>Under TLS, decrypted bytes the channel holds while the socket has nothing new are announced by
 * no readiness event: {@link #rereadIfBuffered} reads them from a selector task.
 *
 * <p>Selector thread only.
 */
final class Wire {

    private final SocketChannel socket;
    /** Where the bytes written are counted. */
    private final ServerStats stats;
    private final OutputQueue out = new OutputQueue();
    /** Past this many queued bytes of events (a client that never reads them) the connection is dropped. */
    private final long maxQueuedEventBytes;
    /** What bytes are read from and written to: the socket, or {@link #tls} once TLS started. */
    private ByteChannel io;
    private TlsChannel tls;
    /** 234 is queued: once it is written, the handshake begins and nothing more is read in clear. */
    private boolean tlsAfterFlush;
    /** The TLS handshake under way, or null (none yet, or done). */
    private TlsHandshake handshake;
    /** A selector task will read decrypted bytes that no readiness event announces. */
    private boolean rereadQueued;

    Wire(SocketChannel socket, long maxQueuedEventBytes, ServerStats stats) {
        this.socket = socket;
        this.stats = stats;
        this.io = socket;
        this.maxQueuedEventBytes = maxQueuedEventBytes;
    }

    /** The channel the connection's bytes go through (the plain socket, or TLS). */
    ByteChannel io() {
        return io;
    }

    /** The bytes queued for the peer. */
    OutputQueue out() {
        return out;
    }

    /**
     * Queues {@code bytes} (a reply, or an {@code event}) and writes what the socket takes now.
     *
     * @throws TooManyEvents when the events queued pass the limit: the peer does not read them
     * @throws IOException when the write fails
     */
    void queue(byte[] bytes, boolean event) throws IOException {
        out.add(bytes, event);
        if (out.eventBytes() > maxQueuedEventBytes) {
            throw new TooManyEvents(out.eventBytes());
        }
        flush();
    }

    /** The events a peer leaves unread passed the limit. */
    static final class TooManyEvents extends IOException {
        TooManyEvents(long unread) {
            super(unread + " bytes of events unread", null);
        }
    }

    /** Writes what the socket takes now: TLS's pending records first; counts the bytes of the queue written. */
    void flush() throws IOException {
        if (tls != null && !tls.flush()) {
            return;
        }
        stats.bytesOut(out.writeTo(io));
    }

    /** Whether bytes wait to be written: queued replies, or encrypted bytes the socket has not taken yet. */
    boolean outputPending() {
        return !out.isEmpty() || (tls != null && tls.hasPendingOutput());
    }

    /** {@code 234} is queued: TLS begins once it is written, and nothing more is read in clear meanwhile. */
    void startTlsAfterFlush() {
        tlsAfterFlush = true;
    }

    /** Whether TLS is to begin once the queue is written. */
    boolean tlsPending() {
        return tlsAfterFlush;
    }

    /**
     * Wraps the socket in TLS, with {@code in}'s bytes (what the client sent after its AUTH line, in
     * read mode; consumed) as the start of the handshake, and starts the handshake.
     *
     * @throws SSLException when the engine cannot be set up
     */
    TlsHandshake beginTls(SSLEngine engine, ByteBuffer in, EventLoop loop, TlsHandshake.Owner owner) throws SSLException {
        tlsAfterFlush = false;
        tls = new TlsChannel(socket, engine, in);
        io = tls;
        handshake = new TlsHandshake(tls, loop, owner);
        return handshake;
    }

    /** The handshake under way, or null. */
    TlsHandshake handshake() {
        return handshake;
    }

    /** The handshake is done; returns what was agreed (protocol, cipher suite) for the log. */
    String handshakeDone() {
        handshake = null;
        return tls.describe();
    }

    /**
     * After the interest ops became {@code ops}: when they include reading and TLS holds decrypted
     * bytes, runs {@code reread} from a selector task (through {@code loop}), once at a time.
     */
    void rereadIfBuffered(int ops, EventLoop loop, Runnable reread) {
        if ((ops & SelectionKey.OP_READ) != 0 && tls != null && !rereadQueued && tls.hasBufferedInput()) {
            rereadQueued = true;
            loop.execute(() -> {
                rereadQueued = false;
                reread.run();
            });
        }
    }

    /** Closes the channel (and the socket under it); never throws. */
    void close() {
        try {
            io.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
