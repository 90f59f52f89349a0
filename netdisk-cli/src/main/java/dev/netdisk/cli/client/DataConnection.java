package dev.netdisk.cli.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One data connection (PROTOCOL.md section 6, {@code DATA ticket}): opened for one transfer,
 * used by one thread, closed after the final status line.
 */
final class DataConnection implements Closeable {

    private final Socket socket;
    private final LineInput in;
    private final OutputStream out;

    private DataConnection(Socket socket, int bufferBytes) throws IOException {
        this.socket = socket;
        this.in = new LineInput(new BufferedInputStream(socket.getInputStream(), bufferBytes));
        this.out = new BufferedOutputStream(socket.getOutputStream(), bufferBytes);
    }

    /** Connects, sends {@code DATA ticket} and returns once the server answered {@code 150}. */
    static DataConnection open(String host, int port, String ticket, Duration connectTimeout, Duration readTimeout,
                               Cancellation cancellation) throws IOException {
        return open(host, port, ticket, connectTimeout, readTimeout, cancellation, NetdiskClient.CHUNK, false);
    }

    /**
     * {@link #open} with stream buffers of {@code bufferBytes} (small for small files); with
     * {@code keep}, sends {@code DATA ticket --keep}, so that after the {@code 226} the connection
     * can carry another transfer ({@link #reuse}).
     */
    static DataConnection open(String host, int port, String ticket, Duration connectTimeout, Duration readTimeout,
                               Cancellation cancellation, int bufferBytes, boolean keep) throws IOException {
        Socket socket = ControlConnection.connectSocket(host, port, connectTimeout);
        DataConnection dc = new DataConnection(socket, bufferBytes);
        if (cancellation != null) {
            cancellation.attach(dc);
        }
        try {
            socket.setSoTimeout((int) readTimeout.toMillis());
            dc.out.write(("DATA " + ticket + (keep ? " --keep" : "") + "\n").getBytes(StandardCharsets.UTF_8));
            dc.out.flush();
            Reply reply = dc.readReply();
            if (reply.code() == 220) {
                reply = dc.readReply();
            }
            reply.expect(150);
            return dc;
        } catch (IOException e) {
            dc.close();
            throw e;
        }
    }

    /**
     * The next transfer on a connection opened with {@code keep} whose last transfer ended with
     * {@code 226}: sends {@code DATA ticket --keep} and returns once the server answered {@code 150}.
     *
     * @throws NetdiskReplyException  the server refused the ticket (it then closes the connection)
     * @throws IOException            the connection is gone (the server closes idle ones)
     */
    void reuse(String ticket, Cancellation cancellation) throws IOException {
        if (cancellation != null) {
            cancellation.attach(this);
        }
        out.write(("DATA " + ticket + " --keep\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        readReply().expect(150);
    }

    InputStream input() {
        return in.stream();
    }

    OutputStream output() {
        return out;
    }

    /** Reads one reply line (events are not expected here and are skipped). */
    Reply readReply() throws IOException {
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

    /** Says {@code QUIT} on a kept connection before closing it; never throws. */
    void sendQuit() {
        try {
            out.write("QUIT\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
