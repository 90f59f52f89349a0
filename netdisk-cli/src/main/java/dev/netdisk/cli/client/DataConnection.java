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
        return open(host, port, ticket, connectTimeout, readTimeout, cancellation, NetdiskClient.CHUNK);
    }

    /** {@link #open} with stream buffers of {@code bufferBytes} (small for small files). */
    static DataConnection open(String host, int port, String ticket, Duration connectTimeout, Duration readTimeout,
                               Cancellation cancellation, int bufferBytes) throws IOException {
        Socket socket = ControlConnection.connectSocket(host, port, connectTimeout);
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
            return dc;
        } catch (IOException e) {
            dc.close();
            throw e;
        }
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
