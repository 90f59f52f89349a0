package dev.netdisk.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw-socket client of the line protocol: what a person with {@code nc} does, with the reply
 * framing of {@code docs/PROTOCOL.md} section 3. The server's tests drive the server with it, and
 * the benchmark uses it for what the client library does not offer (pipelining thousands of
 * commands, thousands of idle connections without a reader thread each).
 *
 * <p>Event lines ({@code * ...}) are set aside apart from replies. The same object drives a data
 * connection: after {@code DATA} it sends or receives raw bytes on the same stream, through the same
 * buffer ({@link LineInput}).
 *
 * <p>Every read times out after the connect's read timeout, so a server that stops answering fails a
 * test instead of hanging it. Not thread-safe: one thread per client.
 */
public final class ProtocolClient implements AutoCloseable {

    /** The read and connect timeout of {@link #connect(int)}, in milliseconds. */
    public static final int READ_TIMEOUT_MILLIS = 30_000;

    /** What {@link #sendBytes} sends a range of: a test's payload, a benchmark's generated file. */
    @FunctionalInterface
    public interface Content {
        /** Writes bytes {@code from} (inclusive) to {@code to} (exclusive) to {@code out}. */
        void writeTo(OutputStream out, long from, long to) throws IOException;
    }

    private Socket socket;
    private LineInput in;
    private OutputStream out;
    /** The TLS context of {@link #startTls}, reused for the data connections of {@link #upload} and {@link #download}. */
    private SSLContext tls;
    private final ReplyAssembler assembler = new ReplyAssembler();
    private final Deque<String> events = new ArrayDeque<>();
    private String greeting;

    private ProtocolClient(Socket socket) throws IOException {
        this.socket = socket;
        // Small: a benchmark holds thousands of these open at once.
        this.in = new LineInput(socket.getInputStream(), 4096);
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port} and reads the {@code 220} greeting. */
    public static ProtocolClient connect(int port) throws IOException {
        return connect("127.0.0.1", port, READ_TIMEOUT_MILLIS);
    }

    /**
     * Connects with TCP_NODELAY and reads the greeting.
     *
     * @param timeoutMillis the connect timeout and every read's timeout, in milliseconds
     * @throws ReplyException when the greeting is not {@code 220} (a full server says {@code 421})
     */
    public static ProtocolClient connect(String host, int port, int timeoutMillis) throws IOException {
        ProtocolClient client = connectWithoutGreeting(host, port, timeoutMillis);
        try {
            client.greeting = client.reply().expect(220).text();
            return client;
        } catch (IOException e) {
            client.close();
            throw e;
        }
    }

    /** Connects to {@code 127.0.0.1:port} and reads nothing: the greeting is the first reply still to read. */
    public static ProtocolClient connectWithoutGreeting(int port) throws IOException {
        return connectWithoutGreeting("127.0.0.1", port, READ_TIMEOUT_MILLIS);
    }

    private static ProtocolClient connectWithoutGreeting(String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return new ProtocolClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A client over a socket the caller connected (with its own buffer sizes); nothing is read yet. */
    public static ProtocolClient wrap(Socket connected) throws IOException {
        return new ProtocolClient(connected);
    }

    /**
     * Sends {@code AUTH TLS}, expects {@code 234} and runs the TLS handshake on this connection
     * (RFC 4217, PROTOCOL.md section 1a); every later line and byte is encrypted, and the data
     * connections of {@link #upload} and {@link #download} start TLS the same way.
     *
     * @param context the trust to use: {@link PinnedTrust#pinned} or {@link PinnedTrust#trustAll}
     * @throws ReplyException when the server does not answer {@code 234}
     * @throws javax.net.ssl.SSLException when the handshake fails (the certificate is refused)
     */
    public ProtocolClient startTls(SSLContext context) throws IOException {
        command("AUTH TLS").expect(234);
        handshake(context);
        return this;
    }

    /**
     * Runs the TLS handshake at once, after the caller sent {@code AUTH TLS} and read {@code 234}
     * itself (tests that look at the reply).
     */
    public void handshake(SSLContext context) throws IOException {
        if (in.buffered() > 0) {
            throw new ProtocolException("protocol error: bytes in clear after 234");
        }
        String host = socket.getInetAddress().getHostAddress();
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(PinnedTrust.PROTOCOLS);
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        this.socket = ssl;
        this.in = new LineInput(ssl.getInputStream(), 4096);
        this.out = ssl.getOutputStream();
        this.tls = context;
    }

    /** Whether {@link #startTls} has run. */
    public boolean isTls() {
        return tls != null;
    }

    /** A new connection to the same server, with TLS started when this one has it: a data connection. */
    private ProtocolClient sibling() throws IOException {
        ProtocolClient data = connect(socket.getInetAddress().getHostAddress(), socket.getPort(), socket.getSoTimeout());
        if (tls != null) {
            try {
                data.startTls(tls);
            } catch (IOException e) {
                data.close();
                throw e;
            }
        }
        return data;
    }

    /** The {@code 220} greeting's text, or {@code null} when it was not read. */
    public String greeting() {
        return greeting;
    }

    public Socket socket() {
        return socket;
    }

    // ---- lines ----

    /** Sends {@code line} and its LF. */
    public void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes as they are. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code line} and reads its reply. */
    public Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    /**
     * Sends every command, keeping at most {@code window} unanswered (the server stops reading a
     * client that does not read its replies), and returns the replies in order.
     */
    public List<Reply> pipeline(List<String> commands, int window) throws IOException {
        List<Reply> replies = new ArrayList<>(commands.size());
        int sent = 0;
        while (replies.size() < commands.size()) {
            StringBuilder batch = new StringBuilder();
            while (sent < commands.size() && sent - replies.size() < window) {
                batch.append(commands.get(sent++)).append('\n');
            }
            if (batch.length() > 0) {
                sendRaw(batch.toString().getBytes(StandardCharsets.UTF_8));
            }
            replies.add(reply());
        }
        return replies;
    }

    /**
     * Reads the next reply, setting aside the event lines before it.
     *
     * @throws ProtocolException when a line is neither a reply line nor an event, or an event
     *                           arrives inside a multi-line reply
     * @throws EOFException      when the server closes the connection first
     */
    public Reply reply() throws IOException {
        boolean open = false;
        while (true) {
            String line = readLine();
            ReplyAssembler.Result result = assembler.accept(line);
            if (result instanceof ReplyAssembler.Completed done) {
                return done.reply();
            }
            if (result instanceof ReplyAssembler.Event event) {
                if (open) {
                    throw new ProtocolException("protocol error: event inside a multi-line reply: " + line);
                }
                events.add("* " + event.text());
            } else {
                open = true;
            }
        }
    }

    /** The next event line ({@code * ...}), waiting for it if none has arrived yet (a reply meanwhile is an error). */
    public String event() throws IOException {
        String ready = events.poll();
        if (ready != null) {
            return ready;
        }
        String line = readLine();
        if (!line.startsWith("* ")) {
            throw new ProtocolException("expected an event, got " + line);
        }
        return line;
    }

    /** The events set aside so far, removed from the queue. */
    public List<String> drainEvents() {
        List<String> drained = new ArrayList<>(events);
        events.clear();
        return drained;
    }

    /**
     * Reads one LF-terminated line, UTF-8, without its terminator.
     *
     * @throws EOFException when the connection ends first
     */
    public String readLine() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("connection closed by the server");
        }
        return line;
    }

    /** Whether the server has closed the connection (reads the end of stream; nothing else may be pending). */
    public boolean isClosedByServer() throws IOException {
        int b;
        try {
            b = in.stream().read();
        } catch (SocketException reset) {
            return true;
        }
        if (b >= 0) {
            throw new ProtocolException("expected the end of the stream, got more bytes, starting with " + b);
        }
        return true;
    }

    // ---- whole transfers ----

    /**
     * Uploads {@code content} to {@code path} as one file: {@code UPLOAD path size md5}, then the
     * bytes on a second connection opened with {@code DATA ticket} (PROTOCOL.md section 6).
     *
     * @return the data connection's final reply ({@code 226} when stored), or {@code UPLOAD}'s or
     *         {@code DATA}'s refusal
     */
    public Reply upload(String path, byte[] content) throws IOException {
        Reply ticket = command("UPLOAD " + Arguments.path(path) + " " + content.length + " " + Md5.hex(content));
        if (ticket.code() != 350) {
            return ticket;
        }
        try (ProtocolClient data = sibling()) {
            Reply ready = data.command("DATA " + ticket.param("ticket"));
            if (ready.code() != 150) {
                return ready;
            }
            data.sendRaw(content);
            return data.reply();
        }
    }

    /**
     * Downloads the whole of {@code path}: {@code DOWNLOAD path}, then the bytes on a second
     * connection.
     *
     * @throws ReplyException when the server refuses or the transfer does not end with {@code 226}
     */
    public byte[] download(String path) throws IOException {
        Reply ticket = command("DOWNLOAD " + Arguments.path(path)).expect(350);
        long size = ticket.longParam("size");
        try (ProtocolClient data = sibling()) {
            data.command("DATA " + ticket.param("ticket")).expect(150);
            byte[] bytes = data.in.stream().readNBytes(Math.toIntExact(size));
            if (bytes.length != size) {
                throw new EOFException("got " + bytes.length + " of " + size + " bytes of " + path);
            }
            data.reply().expect(226);
            return bytes;
        }
    }

    // ---- raw bytes (data connections) ----

    /** Sends bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code content}. */
    public void sendBytes(Content content, long from, long to) throws IOException {
        content.writeTo(out, from, to);
        out.flush();
    }

    /**
     * Reads exactly {@code count} raw bytes into {@code digest}.
     *
     * @throws EOFException when the connection ends first
     */
    public void readBytes(long count, MessageDigest digest) throws IOException {
        InputStream raw = in.stream();
        byte[] buf = new byte[64 * 1024];
        long left = count;
        while (left > 0) {
            int n = raw.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(left + " bytes still expected");
            }
            digest.update(buf, 0, n);
            left -= n;
        }
    }

    /** Ends this side's output (FIN): the server sees the end of stream. */
    public void shutdownOutput() throws IOException {
        // Under TLS 1.3 this sends close_notify and keeps reading (a half-close).
        socket.shutdownOutput();
    }

    /** Resets the connection (RST) instead of closing it politely: an abrupt disconnect. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Says {@code QUIT} without waiting for its answer, then closes. Never throws. */
    public void quit() {
        try {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                send("QUIT");
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Closes the socket. Never throws. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
