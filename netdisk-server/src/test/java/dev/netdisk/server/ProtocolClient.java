package dev.netdisk.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw-socket client of the netdisk line protocol, for tests: what a person with {@code nc} does,
 * with the reply framing of {@code docs/PROTOCOL.md} section 3. Event lines ({@code * ...}) are
 * collected apart from replies. The same class drives a data connection: after {@code DATA} it
 * sends or receives raw bytes on the same stream.
 *
 * <p>Every read times out after {@link #READ_TIMEOUT_MILLIS}, so a server that stops answering
 * fails the test instead of hanging it. Not thread-safe: one thread per client.
 */
public final class ProtocolClient implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 30_000;

    /** One reply: its code and the text of each of its lines (without {@code NNN-}/{@code NNN }). */
    public record Reply(int code, List<String> lines) {

        /** The text of the last (or only) line. */
        public String text() {
            return lines.get(lines.size() - 1);
        }

        /** The value of {@code key=value} among the leading words of the last line. */
        public String value(String key) {
            Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(key) + "=(\\S*)").matcher(text());
            if (!m.find()) {
                throw new AssertionError("no " + key + "= in reply: " + this);
            }
            return m.group(1);
        }

        public long longValue(String key) {
            return Long.parseLong(value(key));
        }

        @Override
        public String toString() {
            return code + " " + String.join(" | ", lines);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private String greeting;
    private int currentCode;

    private ProtocolClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects and reads the {@code 220} greeting. */
    public static ProtocolClient connect(int port) throws IOException {
        ProtocolClient client = connectWithoutGreeting(port);
        Reply hello = client.reply();
        if (hello.code() != 220) {
            throw new AssertionError("expected a 220 greeting, got " + hello);
        }
        client.greeting = hello.text();
        return client;
    }

    /** Connects and reads nothing: the greeting is the first reply still to read. */
    public static ProtocolClient connectWithoutGreeting(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        return new ProtocolClient(socket);
    }

    /** A client over a socket the caller connected (with its own buffer sizes); nothing is read yet. */
    public static ProtocolClient wrap(Socket connected) throws IOException {
        return new ProtocolClient(connected);
    }

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

    /** Reads the next reply, setting aside the event lines before it. */
    public Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.startsWith("* ")) {
                if (!lines.isEmpty()) {
                    throw new AssertionError("event inside a multi-line reply: " + line);
                }
                events.add(line);
                continue;
            }
            if (line.length() < 4 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new AssertionError("not a reply line: " + line);
            }
            int code = Integer.parseInt(line.substring(0, 3));
            if (!lines.isEmpty() && code != currentCode) {
                throw new AssertionError("code changed inside a multi-line reply: " + line);
            }
            currentCode = code;
            lines.add(line.substring(4));
            if (line.charAt(3) == ' ') {
                return new Reply(code, List.copyOf(lines));
            }
        }
    }

    /** The next event line, waiting for it if none has arrived yet (replies meanwhile are an error). */
    public String event() throws IOException {
        String ready = events.poll();
        if (ready != null) {
            return ready;
        }
        String line = readLine();
        if (!line.startsWith("* ")) {
            throw new AssertionError("expected an event, got " + line);
        }
        return line;
    }

    /** The events set aside so far, removed from the queue. */
    public List<String> drainEvents() {
        List<String> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Reads one LF-terminated line, UTF-8, without the LF. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + line.size() + " bytes of a line: "
                        + line.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /** Whether the server has closed the connection (reads the end of stream; nothing else may be pending). */
    public boolean isClosedByServer() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (java.net.SocketException reset) {
            return true;
        }
        if (b >= 0) {
            throw new AssertionError("expected the end of the stream, got more bytes, starting with " + b);
        }
        return true;
    }

    // ---- raw bytes (data connections) ----

    /** Sends bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code payload}. */
    public void sendBytes(Payload payload, long from, long to) throws IOException {
        payload.writeTo(out, from, to);
        out.flush();
    }

    /** Reads exactly {@code count} raw bytes into {@code digest}. */
    public void readBytes(long count, MessageDigest digest) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = count;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(left + " bytes still expected");
            }
            digest.update(buf, 0, n);
            left -= n;
        }
    }

    /** Ends this side's output (FIN): the server sees the end of stream. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Resets the connection (RST) instead of closing it politely: an abrupt disconnect. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
