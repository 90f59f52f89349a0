package dev.netdisk.cli.client;

import dev.netdisk.cli.client.tls.ClientTls;
import java.nio.channels.ByteChannel;

import dev.netdisk.protocol.LineInput;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyAssembler;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One data connection (PROTOCOL.md section 6, {@code DATA ticket}): opened for one transfer,
 * used by one thread, closed after the final status line.
 *
 * <p>Lines go through buffered streams; bulk bytes may instead go straight through the blocking
 * {@link #channel()} with direct buffers (no copy through the heap), once {@link #drainBuffered}
 * has handed over what the line reader read ahead. Channel reads have no socket timeout, so a
 * watchdog closes the connection when no byte has moved for the read timeout.
 *
 * <p>Public for the mirror's batch ({@code client.mirror.BatchConnection}): it opens one with
 * {@link #open(String, int, String, Duration, Duration, Cancellation, int)} and uses the streams,
 * {@link #readReply}, {@link #moved} and {@link #close}; the bulk-byte path stays in this package.
 */
public final class DataConnection implements Closeable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netdisk-data-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Socket socket;
    private final ByteChannel channel;
    private final LineInput in;
    private final OutputStream out;
    private volatile long lastActivityNanos = System.nanoTime();
    private ScheduledFuture<?> watchdog;

    private DataConnection(Socket socket, int bufferBytes) throws IOException {
        this.socket = socket;
        // Over TLS the socket has no channel of its own: a view over its streams serves the callers.
        // (A layered SSLSocket's getChannel() is the raw socket's channel: bytes written there would bypass TLS.)
        this.channel = socket instanceof javax.net.ssl.SSLSocket ? new StreamChannel(socket) : socket.getChannel();
        this.in = new LineInput(socket.getInputStream()); // LineInput buffers, and can drain to the channel's reader
        this.out = new BufferedOutputStream(socket.getOutputStream(), bufferBytes);
    }

    /** Connects, sends {@code DATA ticket} and returns once the server answered {@code 150}. */
    static DataConnection open(String host, int port, String ticket, Duration connectTimeout, Duration readTimeout,
                               Cancellation cancellation) throws IOException {
        return open(host, port, ticket, connectTimeout, readTimeout, cancellation, NetdiskClient.CHUNK);
    }

    /**
     * Connects to {@code host:port}, sends {@code DATA ticket} and returns once the server answered
     * {@code 150}; the connection is closed if nothing moves for {@code readTimeout}.
     *
     * @param cancellation closes the connection when cancelled (attached here; the caller detaches); may be {@code null}
     * @param bufferBytes  the size of the output stream's buffer, in bytes
     * @throws NetdiskConnectionException the server cannot be reached
     * @throws dev.netdisk.protocol.ReplyException the server refused the ticket
     */
    public static DataConnection open(String host, int port, String ticket, Duration connectTimeout, Duration readTimeout,
                               Cancellation cancellation, int bufferBytes) throws IOException {
        Socket socket = connectChannelSocket(host, port, connectTimeout);
        ClientTls tls = ClientTls.forServer(host, port);
        if (tls.enabled()) {
            // TLS before DATA: the ticket never crosses in clear (PROTOCOL.md section 6).
            try {
                socket.setSoTimeout((int) readTimeout.toMillis());
                LineInput clear = new LineInput(socket.getInputStream(), 1024);
                Reply greeting = ClientTls.readReply(clear);
                if (greeting.code() != 220) {
                    throw new NetdiskConnectionException("the server at " + host + ":" + port
                            + " refused the data connection: " + greeting);
                }
                socket = tls.negotiate(socket, clear, host, port);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
        DataConnection dc = new DataConnection(socket, bufferBytes);
        if (cancellation != null) {
            cancellation.attach(dc);
        }
        try {
            socket.setSoTimeout((int) readTimeout.toMillis());
            dc.out.write(("DATA " + ticket + "\n").getBytes(StandardCharsets.UTF_8));
            dc.out.flush();
            Reply reply = dc.readReply();
            if (reply.code() == 220) {
                reply = dc.readReply();
            }
            reply.expect(150);
            long limit = readTimeout.toNanos();
            long every = Math.max(1, Math.min(readTimeout.toMillis() / 4, 10_000));
            dc.watchdog = WATCHDOG.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - dc.lastActivityNanos > limit) {
                    dc.close();
                }
            }, every, every, TimeUnit.MILLISECONDS);
            return dc;
        } catch (IOException e) {
            dc.close();
            throw e;
        }
    }

    /** A socket backed by a {@link SocketChannel}, so bulk bytes can use the channel. */
    private static Socket connectChannelSocket(String host, int port, Duration connectTimeout)
            throws NetdiskConnectionException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            Socket socket = ch.socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return socket;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing was opened
                }
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NetdiskConnectionException("cannot connect to " + host + ":" + port + ": " + why, e);
        }
    }

    /** The blocking channel under the socket, for bulk bytes; see {@link #drainBuffered} before reading it. */
    ByteChannel channel() {
        return channel;
    }

    /**
     * Moves bytes the line reader already read past the {@code 150} line into {@code dst}; returns
     * how many. Once it returns 0, bytes come from {@link #channel()}.
     */
    int drainBuffered(ByteBuffer dst) {
        return in.drainTo(dst);
    }

    /** Records that bytes moved, for the watchdog: call it after each read or write of the streams. */
    public void moved() {
        lastActivityNanos = System.nanoTime();
    }

    /** Sends one line (the checksum trailer) after the bulk bytes. */
    void writeLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        moved();
    }

    /** The bytes the server sends after its lines (buffered together with them). */
    public InputStream input() {
        return in.stream();
    }

    /** Lines and bytes to the server, buffered: flush (or end with a line that flushes) to send. */
    public OutputStream output() {
        return out;
    }

    /**
     * Reads one reply (events are not expected here and are skipped).
     *
     * @throws NetdiskConnectionException the server closed the connection without one
     */
    public Reply readReply() throws IOException {
        moved();
        ReplyAssembler assembler = new ReplyAssembler();
        String line;
        while ((line = in.readLine()) != null) {
            ReplyAssembler.Result result = assembler.accept(line);
            if (result instanceof ReplyAssembler.Completed completed) {
                return completed.reply();
            }
        }
        throw new NetdiskConnectionException("data connection closed by the server without a final reply");
    }

    /** After a failed write: the server's final reply if it sent one before closing, else {@code null}. */
    Reply readReplyAfterFailure() {
        try {
            socket.setSoTimeout(2_000);
            return readReply();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Tells the server no more bytes come, so it can answer while we still read. */
    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the final reply decides the outcome
        }
    }

    /** Closes the socket; any thread may call it, and a blocked read or write then fails. Never throws. */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
