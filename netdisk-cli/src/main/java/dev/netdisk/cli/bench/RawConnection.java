package dev.netdisk.cli.bench;

import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.cli.client.NetdiskReplyException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A control connection on a plain socket, without the client library's reader thread: for the
 * commands the library does not offer ({@code COPY}, {@code RM -r}, {@code TRASH EMPTY}), for
 * pipelining thousands of them, and for thousands of idle connections (a thread each would measure
 * the client, not the server). Events ({@code "* "} lines) are skipped. Protocol: docs/PROTOCOL.md.
 *
 * <p>Not thread-safe: one thread uses one connection.
 */
final class RawConnection implements Closeable {

    /** One reply: its code, its last line's text, and how many lines it had. */
    record RawReply(int code, String text, int lines) {
        RawReply expect(int expected) throws NetdiskReplyException {
            if (code != expected) {
                throw new NetdiskReplyException(code, text);
            }
            return this;
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects and reads the greeting; a greeting other than {@code 220} (a full server says 421) is thrown. */
    static RawConnection open(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            RawConnection c = new RawConnection(socket);
            c.readReply().expect(220);
            return c;
        } catch (NetdiskReplyException e) {
            socket.close();
            throw e;
        } catch (IOException e) {
            socket.close();
            throw new NetdiskConnectionException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Opens a connection and logs in with a session token. */
    static RawConnection loggedIn(String host, int port, String token) throws IOException {
        RawConnection c = open(host, port);
        try {
            c.request("LOGIN TOKEN " + token).expect(230);
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    RawReply request(String command) throws IOException {
        send(command);
        return readReply();
    }

    void send(String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Sends every command, keeping at most {@code window} unanswered (the server stops reading a
     * client that does not read its replies), and returns the replies in order.
     */
    List<RawReply> pipeline(List<String> commands, int window) throws IOException {
        List<RawReply> replies = new ArrayList<>(commands.size());
        int sent = 0;
        while (replies.size() < commands.size()) {
            StringBuilder batch = new StringBuilder();
            while (sent < commands.size() && sent - replies.size() < window) {
                batch.append(commands.get(sent++)).append('\n');
            }
            if (batch.length() > 0) {
                out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            replies.add(readReply());
        }
        return replies;
    }

    /** Reads one whole reply, skipping events. */
    RawReply readReply() throws IOException {
        int lines = 0;
        while (true) {
            String l = readLine();
            if (l.startsWith("* ")) {
                continue;
            }
            lines++;
            if (l.length() < 4 || !Character.isDigit(l.charAt(0))) {
                throw new NetdiskConnectionException("protocol error: not a reply: " + l);
            }
            if (l.charAt(3) == ' ') {
                return new RawReply(Integer.parseInt(l.substring(0, 3)), l.substring(4), lines);
            }
        }
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /** Says {@code QUIT} and closes, without waiting. Never throws. */
    @Override
    public void close() {
        try {
            if (!socket.isClosed()) {
                out.write("QUIT\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
