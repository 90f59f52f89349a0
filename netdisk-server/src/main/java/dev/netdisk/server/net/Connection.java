package dev.netdisk.server.net;

import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.transfer.DataTransfer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * One client connection: its socket ({@link Wire}: plain or TLS, with its queue of output), and
 * either its control role ({@link Commands}: lines in, replies out, one command at a time) or the
 * transfer that has taken it over ({@link TransferLink}).
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
 * <p>Only the selector thread touches a connection, except {@link #push} and {@link #disconnect},
 * which hand work to it.
 */
final class Connection implements Session.EventSink, TlsHandshake.Owner {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    /** Past this many queued output bytes the connection stops reading new commands. */
    static final int OUTPUT_HIGH_WATER = 256 * 1024;


    private final EventLoop loop;
    /** The socket, plain or TLS, and the bytes queued for it. */
    private final Wire wire;
    private final OutputQueue out;
    private final SelectionKey key;
    private final Presence presence;
    private final Session session;
    private final Commands commands;
    private boolean closeAfterFlush;
    private boolean closed;
    /** The transfer that took this (data) connection over, or null. */
    private TransferLink transfer;
    private final InetAddress address;
    private long lastActivityNanos = System.nanoTime();

    Connection(EventLoop loop, SocketChannel channel, SelectionKey key, Dispatcher dispatcher,
               Presence presence, int maxLineBytes, String remoteAddress, InetAddress address,
               int maxQueuedOutputBytes) {
        this.loop = loop;
        this.address = address;
        this.wire = new Wire(channel, maxQueuedOutputBytes, loop.stats());
        this.out = wire.out();
        this.key = key;
        this.presence = presence;
        this.commands = new Commands(this, maxLineBytes, dispatcher, presence, maxQueuedOutputBytes);
        // The session only keeps the reference: events reach this connection once it is built.
        this.session = new Session(this, remoteAddress, address.getHostAddress());
    }

    /** The control role: where the dispatcher delivers outcomes. */
    Commands commands() {
        return commands;
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
                loop.stats().bytesIn(commands.input().readFrom(wire.io()));
                lastActivityNanos = System.nanoTime();
                commands.process();
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
            wire.flush();
            if (!wire.outputPending() && closeAfterFlush) {
                close("closed after final reply");
                return;
            }
            if (wire.tlsPending() && out.isEmpty()) {
                beginTls();
                return;
            }
            if (transfer == null && !closed && commands.input().hasBuffered()) {
                commands.process(); // lines held back while the client was not reading
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
        try {
            handshake = wire.beginTls(loop.tls().newEngine(), commands.input().takeForTls(), loop, this);
        } catch (SSLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "cannot start TLS for " + session.remoteAddress() + ": " + e);
            close("cannot start TLS: " + e);
            return;
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

    /** After {@code 234} is written in full, TLS begins: nothing more is read in clear. */
    void beginTlsIfDue() {
        if (wire.tlsPending() && out.isEmpty() && !closed) {
            beginTls();
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
        if (commands.busy()) {
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
        String why = ControlTimeouts.expired(silent, commands.input().partialLineAge(now),
                session.isLoggedIn(), limits);
        if (why != null) {
            String reason = why;
            LOG.log(System.Logger.Level.INFO, () -> "closing " + session.remoteAddress() + ": " + reason);
            closeWith(Reply.of(ReplyCode.SERVICE_CLOSING, why));
        }
    }

    // ---- for the control role (Commands) ----

    /**
     * Whether another command may start now: not while a reply is to be the last one, a transfer or
     * TLS takes over, or more than {@link #OUTPUT_HIGH_WATER} bytes of output wait (the client is not
     * reading its replies: its commands wait until it does; {@link #onWritable} picks them up again).
     */
    boolean takesCommands() {
        return !closeAfterFlush && !closed && transfer == null && !wire.tlsPending() && out.bytes() < OUTPUT_HIGH_WATER;
    }

    /** Whether this is still a control connection (no transfer took it over). */
    boolean isControl() {
        return transfer == null;
    }

    /** Something happened: the idle timeouts count from now. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Closes once everything queued is written. */
    void closeAfterReply() {
        closeAfterFlush = true;
    }

    /** {@code 234} is queued: TLS begins once it is written. */
    void startTlsAfterReply() {
        wire.startTlsAfterFlush();
    }

    /** Hands the connection to a transfer, with the bytes that followed its {@code DATA} line. */
    void takeOver(DataTransfer t, ByteBuffer buffered) {
        transfer = new TransferLink(this, wire, loop, t);
        send(t.preliminary());
        transfer.start(buffered);
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
        if (!closed && transfer == null) {
            commands.event(bytes);
            interestChanged();
        }
    }

    /** Any thread: events wait until the running command's outcome is written, then follow it. */
    @Override
    public void holdEvents() {
        commands.holdEvents();
    }

    /** Queues an event line now (selector thread), and writes what the socket takes. */
    void queueEvent(byte[] bytes) {
        enqueue(bytes, true);
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
            wire.queue(bytes, event);
        } catch (Wire.TooManyEvents e) {
            LOG.log(System.Logger.Level.WARNING, () -> "dropping " + session.remoteAddress() + ": " + e.getMessage());
            close("output limit exceeded");
        } catch (IOException e) {
            close(e.getMessage());
        }
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
            if (!closeAfterFlush && !commands.input().ended() && !wire.tlsPending() && commands.input().hasRoom()
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
                wire.flush();
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
