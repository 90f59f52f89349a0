package dev.netdisk.server.net;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.EncodedReply;
import dev.netdisk.server.protocol.ReplyThenEvents;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.protocol.StartTls;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.transfer.DataTransfer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * One client connection: its socket buffers, its line decoder, its queue of replies, and either
 * its control session or the transfer that has taken it over.
 *
 * <pre>
 *   CONTROL --(command to a worker)--> BUSY --(outcome)--> CONTROL
 *      |                                                      |
 *      +--- DATA ticket ---> TRANSFER (bytes) ---> final reply, close
 *      +--- AUTH TLS ---> 234 written ---> HANDSHAKE (tasks on a worker) ---> CONTROL over TLS
 *   any state --(QUIT, EOF, error, shutdown, handshake failure or timeout)--> CLOSED
 * </pre>
 *
 * <p>Under TLS every read and write goes through {@link TlsChannel}; decrypted bytes it holds
 * while the socket has nothing new are read again from a selector task, since no readiness event
 * would announce them.
 *
 * <p>Only the selector thread touches a connection, except {@link #push} and {@link #execute},
 * which hand work to it. Commands run one at a time: while one is busy, further lines wait in
 * the input buffer, and when that is full the connection stops reading (TCP pushes back).
 */
final class Connection implements Session.EventSink, TlsHandshake.Owner {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    /**
     * Input buffer. Small: the decoder keeps a partial line itself, so this only holds bytes not yet
     * decoded (pipelined commands waiting for the one in flight; beyond it they wait in the kernel).
     * An idle connection costs this much and little more.
     */
    static final int INPUT_BYTES = 4 * 1024;

    /** Past this many queued output bytes the connection stops reading new commands. */
    static final int OUTPUT_HIGH_WATER = 256 * 1024;


    private final EventLoop loop;
    /** The socket, plain or TLS, and the bytes queued for it. */
    private final Wire wire;
    private final OutputQueue out;
    private final SelectionKey key;
    private final Dispatcher dispatcher;
    private final Presence presence;
    private final Session session;
    private final LineDecoder decoder;
    private final ByteBuffer in = ByteBuffer.allocate(INPUT_BYTES);
    /** Events pushed while a LISTEN reads its backlog: they follow it. */
    private final HeldEvents held = new HeldEvents();
    private final long maxQueuedOutputBytes;
    private boolean busy;
    private boolean closeAfterFlush;
    private boolean closed;
    /** The peer ended its output: no more commands come, but those received are still answered. */
    private boolean inputEnded;
    /** The transfer that took this (data) connection over, or null. */
    private TransferLink transfer;
    private final InetAddress address;
    private long lastActivityNanos = System.nanoTime();
    private long lineStartedNanos;

    Connection(EventLoop loop, SocketChannel channel, SelectionKey key, Dispatcher dispatcher,
               Presence presence, int maxLineBytes, String remoteAddress, InetAddress address,
               int maxQueuedOutputBytes) {
        this.loop = loop;
        this.address = address;
        this.wire = new Wire(channel, maxQueuedOutputBytes);
        this.maxQueuedOutputBytes = maxQueuedOutputBytes;
        this.out = wire.out();
        this.key = key;
        this.dispatcher = dispatcher;
        this.presence = presence;
        this.decoder = new LineDecoder(maxLineBytes);
        // The session only keeps the reference: events reach this connection once it is built.
        this.session = new Session(this, remoteAddress, address.getHostAddress());
    }

    Session session() {
        return session;
    }

    /** The peer's IP address. */
    InetAddress address() {
        return address;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- events from the selector ----

    void onReadable() {
        if (wire.handshake() != null) {
            wire.handshake().advance();
            return;
        }
        try {
            if (transfer != null) {
                transfer.onReadable();
                lastActivityNanos = System.nanoTime();
            } else {
                int n = wire.io().read(in);
                loop.stats().bytesIn(n);
                if (n < 0) {
                    inputEnded = true;
                }
                lastActivityNanos = System.nanoTime();
                processInput();
                closeIfInputDone();
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        interestChanged();
    }

    void onWritable() {
        if (wire.handshake() != null) {
            wire.handshake().advance();
            return;
        }
        try {
            flush();
            if (!wire.outputPending() && closeAfterFlush) {
                close("closed after final reply");
                return;
            }
            if (wire.tlsPending() && out.isEmpty()) {
                beginTls();
                return;
            }
            if (transfer == null && !busy && !closed && out.bytes() < OUTPUT_HIGH_WATER && in.position() > 0) {
                processInput(); // lines held back while the client was not reading
            }
            if (out.isEmpty() && transfer != null && transfer.onWritable()) {
                lastActivityNanos = System.nanoTime();
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (!wire.outputPending() && closeAfterFlush) {
            close("closed after final reply");
            return;
        }
        interestChanged();
    }

    /** A read or write failed: a TLS failure is worth a log line (garbage, plaintext after AUTH TLS). */
    private void fail(IOException e) {
        if (e instanceof SSLException) {
            LOG.log(System.Logger.Level.INFO, () -> "closing " + session.remoteAddress() + ": TLS failed: " + e.getMessage());
        }
        close(e.getMessage());
    }

    // ---- TLS (RFC 4217: AUTH TLS, 234, handshake) ----

    /** After 234 is written: wraps the socket in TLS, with any bytes the client sent after its AUTH line. */
    private void beginTls() {
        TlsHandshake handshake;
        in.flip();
        try {
            handshake = wire.beginTls(loop.tls().newEngine(), in, loop, this);
        } catch (SSLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "cannot start TLS for " + session.remoteAddress() + ": " + e);
            close("cannot start TLS: " + e);
            return;
        } finally {
            in.clear();
        }
        handshake.advance();
    }

    @Override
    public void handshakeDone() {
        String agreed = wire.handshakeDone();
        session.tlsStarted();
        lastActivityNanos = System.nanoTime();
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.remoteAddress() + " started " + agreed);
    }

    @Override
    public void handshakeFailed(String why) {
        LOG.log(System.Logger.Level.INFO, () -> "closing " + session.remoteAddress() + ": " + why);
        close(why);
    }

    /** Decodes and dispatches buffered lines until one command is in flight or the input runs out. */
    private void processInput() {
        in.flip();
        try {
            // Past the high-water mark the client is not reading its replies: stop taking its
            // commands until it does (onWritable picks them up again).
            while (!busy && !closeAfterFlush && !closed && transfer == null && !wire.tlsPending()
                    && out.bytes() < OUTPUT_HIGH_WATER) {
                LineDecoder.Item item = decoder.next(in);
                if (item == null) {
                    break;
                }
                if (item instanceof LineDecoder.Invalid invalid) {
                    send(Reply.of(ReplyCode.SYNTAX_ERROR, invalid.message()));
                } else {
                    String text = ((LineDecoder.Line) item).text();
                    if (!text.isBlank()) {
                        dispatcher.dispatch(this, Request.parse(text));
                    }
                }
            }
        } finally {
            in.compact();
        }
        if (wire.tlsPending() && out.isEmpty() && !closed) {
            beginTls();
            return;
        }
        if (!decoder.hasPartialLine()) {
            lineStartedNanos = 0;
        } else if (lineStartedNanos == 0) {
            lineStartedNanos = System.nanoTime();
        }
    }

    /**
     * Closes this connection if it has been silent for too long (housekeeping, about once a
     * second): a stalled transfer, a line begun and never finished, a connection that never logged
     * in, or an idle session. A control connection is told why with {@code 421}.
     */
    void expireIfIdle(long now, Limits limits) {
        if (closed) {
            return;
        }
        if (wire.handshake() != null) {
            if (wire.handshake().expired(now, loop.tlsSettings().handshakeTimeout())) {
                LOG.log(System.Logger.Level.INFO, () -> "closing " + session.remoteAddress()
                        + ": TLS handshake not finished within " + loop.tlsSettings().handshakeTimeout().toSeconds() + " s");
                close("TLS handshake timed out");
            }
            return;
        }
        if (busy) {
            return;
        }
        long silent = now - lastActivityNanos;
        if (transfer != null) {
            if (silent > limits.transferStallTimeout().toNanos()) {
                LOG.log(System.Logger.Level.INFO, () -> "closing stalled data connection " + session.remoteAddress());
                transfer.stalled(limits.transferStallTimeout());
                close("transfer stalled");
            }
            return;
        }
        String why = ControlTimeouts.expired(silent, lineStartedNanos == 0 ? 0 : now - lineStartedNanos,
                session.isLoggedIn(), limits);
        if (why != null) {
            String reason = why;
            LOG.log(System.Logger.Level.INFO, () -> "closing " + session.remoteAddress() + ": " + reason);
            closeWith(Reply.of(ReplyCode.SERVICE_CLOSING, why));
        }
    }

    /**
     * After the peer's end of stream, closes once every complete line it sent has been answered
     * (a client may half-close after its last command, as {@code nc -N} does).
     */
    private void closeIfInputDone() {
        if (inputEnded && !busy && transfer == null && !closed) {
            closeAfterFlush = true;
        }
    }

    /** Marks a command as running elsewhere; lines wait until {@link #complete}. */
    void markBusy() {
        busy = true;
    }

    /**
     * Delivers the outcome of a command that ran on a worker (on the selector thread), then goes on
     * with any lines that arrived meanwhile.
     *
     * @param closeOnReply close once the reply is written (a failed {@code DATA})
     */
    void complete(Outcome outcome, boolean closeOnReply) {
        busy = false;
        lastActivityNanos = System.nanoTime();
        deliver(outcome, closeOnReply);
        if (!closed && transfer == null) {
            processInput();
            closeIfInputDone();
        }
        if (!closed) {
            interestChanged();
        }
    }

    /** Queues a command's reply, or hands the connection to the transfer it started. */
    void deliver(Outcome outcome, boolean closeOnReply) {
        if (closed) {
            // The peer left while the command ran: undo what it set up (a LOGIN's presence, a transfer).
            session.user().ifPresent(user -> presence.remove(user, session));
            if (outcome instanceof DataTransfer t) {
                t.onClosed();
            }
            return;
        }
        if (outcome == StartTls.INSTANCE) {
            send(Reply.of(ReplyCode.SECURITY_OK, "AUTH TLS accepted; start the TLS handshake"));
            wire.startTlsAfterFlush();
        } else if (outcome instanceof DataTransfer t) {
            transfer = new TransferLink(this, wire, loop, t);
            send(t.preliminary());
            transfer.start(in); // bytes that came after the DATA line belong to the transfer
        } else if (outcome instanceof EncodedReply r) {
            enqueue(r.bytes(), false);
        } else if (outcome instanceof ReplyThenEvents r) {
            send(r.reply());
            for (String event : r.events()) {
                // The backlog answering this LISTEN: part of the reply, not a flood.
                enqueue((event + "\n").getBytes(StandardCharsets.UTF_8), false);
            }
            releaseHeld(r.events());
        } else {
            Reply reply = (Reply) outcome;
            send(reply);
            releaseHeld(List.of());
            if (reply.closesConnection() || closeOnReply) {
                closeAfterFlush = true;
            }
        }
    }

    // ---- output ----

    /** Queues a whole reply; it is never split by an event. */
    void send(Reply reply) {
        enqueue(reply.toBytes(), false);
    }

    /** Queues an event line from any thread: it is written between replies. */
    @Override
    public void push(String eventLine) {
        byte[] bytes = (eventLine + "\n").getBytes(StandardCharsets.UTF_8);
        loop.execute(() -> pushEncoded(bytes));
    }

    /** Queues an encoded event line (LF included); selector thread only. */
    @Override
    public void pushEncoded(byte[] bytes) {
        if (closed || transfer != null) {
            return;
        }
        try {
            if (held.hold(bytes, maxQueuedOutputBytes)) {
                return;
            }
        } catch (HeldEvents.TooMany e) {
            LOG.log(System.Logger.Level.WARNING, () -> "dropping " + session.remoteAddress() + ": " + e.getMessage());
            close("output limit exceeded");
            return;
        }
        enqueue(bytes, true);
        interestChanged();
    }

    /** Any thread: events wait until the running command's outcome is written, then follow it. */
    @Override
    public void holdEvents() {
        held.start();
    }

    /** Writes the events held while the command ran, after its reply, less those its backlog carried. */
    private void releaseHeld(List<String> replayed) {
        if (held.holding()) {
            for (byte[] event : held.release(replayed)) {
                enqueue(event, true);
            }
        }
    }

    /**
     * Queues bytes and writes what the socket takes now. Only events count against the queue's
     * limit: a client that never reads lets them pile up without end, while a reply, however long
     * (an {@code LS} of a big directory), stops this connection's commands until it is written
     * ({@link #OUTPUT_HIGH_WATER}), so replies cannot pile up.
     */
    private void enqueue(byte[] bytes, boolean event) {
        if (closed) {
            return;
        }
        try {
            loop.stats().bytesOut(wire.queue(bytes, event));
        } catch (Wire.TooManyEvents e) {
            LOG.log(System.Logger.Level.WARNING, () -> "dropping " + session.remoteAddress() + ": " + e.getMessage());
            close("output limit exceeded");
        } catch (IOException e) {
            close(e.getMessage());
        }
    }

    private void flush() throws IOException {
        loop.stats().bytesOut(wire.flush());
    }

    // ---- for the transfer (TransferLink) ----

    /** Queues bytes a transfer framed itself (a batch's answers and their bytes). */
    void queue(byte[] bytes) {
        enqueue(bytes, false);
    }

    /** The transfer is over: queues its final reply and closes once it is written. */
    void finishTransfer(Reply reply) {
        if (closed) {
            return;
        }
        transfer = null;
        send(reply);
        closeAfterFlush = true;
        lastActivityNanos = System.nanoTime();
        interestChanged();
    }

    /** Computes the selection interest again, after the state of the connection or its transfer changed. */
    @Override
    public void interestChanged() {
        if (closed || !key.isValid()) {
            return;
        }
        if (wire.handshake() != null) {
            int ops = wire.handshake().interestOps();
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
            return;
        }
        if (!wire.outputPending() && closeAfterFlush) {
            close("closed after final reply");
            return;
        }
        int ops = 0;
        if (transfer != null) {
            ops = transfer.interestOps(out.bytes() < OUTPUT_HIGH_WATER);
        } else {
            if (!closeAfterFlush && !inputEnded && !wire.tlsPending() && in.hasRemaining()
                    && out.bytes() < OUTPUT_HIGH_WATER) {
                ops |= SelectionKey.OP_READ;
            }
            if (wire.outputPending()) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
        // Decrypted bytes may wait in the TLS layer while the socket stays quiet.
        wire.rereadIfBuffered(ops, loop, () -> {
            if (!closed && key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0) {
                onReadable();
            }
        });
    }

    // ---- closing ----

    /** Ends the connection with {@code 421 reason} from any thread (an administrator disabled the account). */
    @Override
    public void disconnect(String reason) {
        loop.execute(() -> closeWith(Reply.of(ReplyCode.SERVICE_CLOSING, reason)));
    }

    /** Sends a last reply if the socket takes it at once, then closes (shutdown, timeouts). */
    void closeWith(Reply reply) {
        // A transfer's peer may be reading file bytes: only an upload's (which reads its final line) gets it.
        if (!closed && (transfer == null || transfer.takesLastLine()) && wire.handshake() == null) {
            try {
                flush();
                if (out.isEmpty()) {
                    wire.io().write(ByteBuffer.wrap(reply.toBytes()));
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        close(reply.text());
    }

    void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        wire.close();
        if (transfer != null) {
            TransferLink t = transfer;
            transfer = null;
            t.closed();
        }
        session.user().ifPresent(user -> presence.remove(user, session));
        loop.forget(this);
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.remoteAddress() + " closed: " + reason);
    }
}
