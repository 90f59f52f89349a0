package dev.netdisk.server.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A non-blocking socket seen through TLS: {@link #read} gives plaintext, {@link #write} takes
 * plaintext, with the same "0 means try again when the selector says so" rules as the socket
 * itself. What a transfer gets from {@code DataLink.channel()} once a connection has started TLS.
 *
 * <p>Two things differ from a socket, and the connection handles both:
 * <ul>
 *   <li>Decrypted bytes may be left over after a read (the reader's buffer was full) while the
 *       socket has nothing more to read: {@link #hasBufferedInput} says so, and the connection then
 *       reads again without waiting for the selector.
 *   <li>Encrypted bytes may be left over after a write took all the plaintext:
 *       {@link #hasPendingOutput} says so, and the connection waits for the socket to be writable
 *       and calls {@link #flush}.
 * </ul>
 *
 * <p>Threading: reads run on the selector thread; writes on the selector thread, or on the one
 * worker sending a download's turn while the selector does not write. The read side and the
 * write side each keep their own buffers under their own lock, so a read and a write may overlap.
 * Buffers are allocated when needed and dropped when empty: an idle connection holds none.
 */
final class TlsChannel implements ByteChannel {

    /** What the handshake needs next. */
    enum Step { DONE, READ, WRITE, TASKS }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /**
     * The most plaintext one {@link #read} decrypts, in bytes (16 records): an upload's 1 MiB
     * buffer would otherwise take a millisecond of AES-GCM on the selector thread in one call,
     * while every other connection's reply waits. The rest is read on the next turn.
     */
    static final int READ_BUDGET_BYTES = 256 << 10;

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private final int packetBytes;
    private final int appBytes;
    /** Encrypted bytes read and not yet decrypted; write mode. Guarded by readLock. */
    private ByteBuffer netIn;
    /** Decrypted bytes not yet taken by a reader; write mode. Guarded by readLock. */
    private ByteBuffer appIn;
    /** Encrypted bytes not yet written to the socket; write mode. Guarded by writeLock. */
    private ByteBuffer netOut;
    private volatile boolean inboundDone;
    private volatile boolean closed;

    /**
     * @param leftover bytes that arrived after the {@code AUTH TLS} line, in read mode: the start of
     *                 the client's handshake (copied)
     */
    TlsChannel(SocketChannel socket, SSLEngine engine, ByteBuffer leftover) throws SSLException {
        this.socket = socket;
        this.engine = engine;
        this.packetBytes = engine.getSession().getPacketBufferSize();
        this.appBytes = engine.getSession().getApplicationBufferSize();
        if (leftover.hasRemaining()) {
            netIn = ByteBuffer.allocate(Math.max(2 * packetBytes, leftover.remaining()));
            netIn.put(leftover);
        }
        engine.beginHandshake();
    }

    // ---- handshake (selector thread) ----

    /**
     * Advances the handshake as far as the socket allows.
     *
     * @return {@link Step#DONE} once it is finished and its last bytes written; otherwise what to
     *         wait for ({@link Step#TASKS}: run {@link #delegatedTasks} off the selector, then call again)
     * @throws IOException the peer sent something that is not a TLS handshake, or left
     */
    Step handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    return Step.TASKS;
                case NEED_WRAP:
                    synchronized (writeLock) {
                        if (!flushLocked()) {
                            return Step.WRITE;
                        }
                        wrapLocked(EMPTY);
                        if (!flushLocked()) {
                            return Step.WRITE;
                        }
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    synchronized (readLock) {
                        if (!unwrapForHandshake()) {
                            return Step.READ;
                        }
                    }
                    break;
                default: // FINISHED, NOT_HANDSHAKING
                    synchronized (writeLock) {
                        return flushLocked() ? Step.DONE : Step.WRITE;
                    }
            }
        }
    }

    /** The engine's delegated tasks (certificate signing, key exchange), to run on a worker. */
    List<Runnable> delegatedTasks() {
        List<Runnable> tasks = new ArrayList<>();
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        return tasks;
    }

    /** The negotiated protocol and cipher suite, for the log. */
    String describe() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    /** One unwrap step of the handshake; false when more bytes must arrive first. readLock held. */
    private boolean unwrapForHandshake() throws IOException {
        while (true) {
            if (netIn != null && netIn.position() > 0) {
                SSLEngineResult r = unwrapLocked(null);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new EOFException("the peer closed TLS during the handshake");
                }
                boolean progressed = r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
                if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW && progressed) {
                    return true;
                }
            }
            int n = readSocket();
            if (n < 0) {
                throw new EOFException("the peer left during the TLS handshake");
            }
            if (n == 0) {
                return false;
            }
        }
    }

    // ---- reading ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (readLock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            int n = drainAppIn(dst);
            while (dst.hasRemaining() && !inboundDone && n < READ_BUDGET_BYTES) {
                if (netIn != null && netIn.position() > 0) {
                    // Straight into dst when a whole record fits, else through appIn.
                    boolean direct = appIn == null && dst.remaining() >= appBytes;
                    int before = dst.position();
                    SSLEngineResult r = unwrapLocked(direct ? dst : null);
                    if (direct) {
                        n += dst.position() - before;
                    } else {
                        n += drainAppIn(dst);
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        inboundDone = true;
                        break;
                    }
                    answerPostHandshake();
                    if (r.getStatus() == SSLEngineResult.Status.OK && (r.bytesConsumed() > 0 || r.bytesProduced() > 0)) {
                        continue;
                    }
                    // BUFFER_UNDERFLOW: a record not yet whole; BUFFER_OVERFLOW: appIn full (dst is then full too)
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        break;
                    }
                }
                int got = readSocket();
                if (got < 0) {
                    inboundDone = true;
                    try {
                        engine.closeInbound();
                    } catch (SSLException truncated) {
                        // the peer closed the socket without close_notify: an end of stream all the same
                    }
                    break;
                }
                if (got == 0) {
                    break;
                }
            }
            releaseEmpty();
            if (n == 0 && inboundDone && (appIn == null || appIn.position() == 0)) {
                return -1;
            }
            return n;
        }
    }

    /**
     * Whether decrypted bytes, or a whole record not yet decrypted, wait here: the socket may
     * then not become readable again, so the connection must read without waiting for it.
     */
    boolean hasBufferedInput() {
        synchronized (readLock) {
            if (appIn != null && appIn.position() > 0) {
                return true;
            }
            if (netIn == null || netIn.position() < 5) {
                return false;
            }
            int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
            return netIn.position() >= 5 + length;
        }
    }

    /** A message after the handshake (a key update) may need an answer; write it if the socket takes it. */
    private void answerPostHandshake() throws IOException {
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            for (Runnable task : delegatedTasks()) {
                task.run(); // rare and small after the handshake (no certificate work)
            }
            hs = engine.getHandshakeStatus();
        }
        if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            synchronized (writeLock) {
                wrapLocked(EMPTY);
                flushLocked();
            }
        }
    }

    private int readSocket() throws IOException {
        if (netIn == null) {
            netIn = ByteBuffer.allocate(2 * packetBytes);
        } else if (!netIn.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() + packetBytes);
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        return socket.read(netIn);
    }

    /** Unwraps from netIn into {@code dst}, or into appIn when null. readLock held. */
    private SSLEngineResult unwrapLocked(ByteBuffer dst) throws SSLException {
        ByteBuffer target = dst;
        if (target == null) {
            if (appIn == null) {
                appIn = ByteBuffer.allocate(appBytes);
            }
            target = appIn;
        }
        netIn.flip();
        try {
            return engine.unwrap(netIn, target);
        } finally {
            netIn.compact();
        }
    }

    private int drainAppIn(ByteBuffer dst) {
        if (appIn == null || appIn.position() == 0) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    private void releaseEmpty() {
        if (appIn != null && appIn.position() == 0) {
            appIn = null;
        }
        if (netIn != null && netIn.position() == 0) {
            netIn = null;
        }
    }

    // ---- writing ----

    /**
     * Encrypts and writes as much of {@code src} as the socket takes now.
     *
     * @return the plaintext bytes taken; 0 while earlier encrypted bytes still wait for the socket
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (!flushLocked()) {
                return 0;
            }
            int taken = 0;
            while (src.hasRemaining()) {
                SSLEngineResult r = wrapLocked(src);
                taken += r.bytesConsumed();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS is closed");
                }
                if (!flushLocked() || r.bytesConsumed() == 0) {
                    break;
                }
            }
            return taken;
        }
    }

    /** Whether encrypted bytes wait for the socket. */
    boolean hasPendingOutput() {
        synchronized (writeLock) {
            return netOut != null && netOut.position() > 0;
        }
    }

    /** Writes waiting encrypted bytes; true when none are left. */
    boolean flush() throws IOException {
        synchronized (writeLock) {
            return flushLocked();
        }
    }

    private SSLEngineResult wrapLocked(ByteBuffer src) throws SSLException {
        if (netOut == null) {
            netOut = ByteBuffer.allocate(packetBytes);
        }
        return engine.wrap(src, netOut);
    }

    /** writeLock held. */
    private boolean flushLocked() throws IOException {
        if (netOut == null) {
            return true;
        }
        if (netOut.position() > 0) {
            netOut.flip();
            try {
                socket.write(netOut);
            } finally {
                netOut.compact();
            }
        }
        if (netOut.position() == 0) {
            netOut = null;
            return true;
        }
        return false;
    }

    // ---- closing ----

    @Override
    public boolean isOpen() {
        return !closed && socket.isOpen();
    }

    /** Sends close_notify if the socket takes it at once, then closes the socket. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            engine.closeOutbound();
            synchronized (writeLock) {
                if (flushLocked()) {
                    wrapLocked(EMPTY);
                    flushLocked();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        } finally {
            closed = true;
            socket.close();
        }
    }
}
