package dev.netdisk.cli.client;

import dev.netdisk.cli.client.tls.ClientTls;

import dev.netdisk.protocol.LineInput;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyAssembler;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The control connection: sends command lines and hands back their replies, in order.
 *
 * <p>Threading: {@link #request(String)} is synchronized: one command and its reply at a time.
 * Lines are read in one of two ways:
 * <ul>
 *   <li><b>With an event listener</b> (given at {@link #open} or later by {@link #setListener}): one
 *       daemon reader thread per connection reads every line. Replies go to a queue that
 *       {@link #request(String)} takes from; event lines ({@code "* "}) go straight to the
 *       {@link EventListener} on the reader thread, so events arrive while the connection is idle.
 *       A failure of the connection is queued like a reply and rethrown to every later request.
 *   <li><b>Without one</b>: the thread that sent the command reads its reply itself (with the
 *       reply timeout as the socket timeout), skipping any event line. This saves a thread and a
 *       hand-off between two threads per command, which was most of the client's cost of a
 *       {@code STAT} (the bench's 64 clients). Installing a listener later starts the reader thread.
 * </ul>
 */
final class ControlConnection implements Closeable {

    private final Socket socket;
    private final OutputStream out;
    private final LineInput in;
    private final Duration replyTimeout;
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final ReplyAssembler assembler = new ReplyAssembler();
    /** The reader thread, once there is a listener; null while replies are read inline. Guarded by this. */
    private Thread reader;
    private volatile EventListener listener;
    private volatile boolean closing;
    private volatile IOException failure;
    /** The greeting, read before TLS started; the first {@link #awaitReply} returns it. Guarded by this. */
    private Reply greeting;

    private ControlConnection(Socket socket, Duration replyTimeout, EventListener listener) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new LineInput(socket.getInputStream());
        this.replyTimeout = replyTimeout;
        this.listener = listener;
    }

    /**
     * Connects, starts TLS unless {@code tls} is off ({@code AUTH TLS} after the greeting), and starts
     * the reader thread when there is a listener; the greeting is the first reply.
     *
     * @throws NetdiskConnectionException the server cannot be reached, offers no TLS, or its certificate is refused
     */
    static ControlConnection open(String host, int port, Duration connectTimeout, Duration replyTimeout,
                                  EventListener listener, ClientTls tls) throws IOException {
        Socket socket = connectSocket(host, port, connectTimeout);
        Reply greeting = null;
        if (tls.enabled()) {
            try {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, replyTimeout.toMillis()));
                LineInput clear = new LineInput(socket.getInputStream(), 1024);
                greeting = ClientTls.readReply(clear);
                if (greeting.code() == 220) {
                    socket = tls.negotiate(socket, clear, host, port);
                }
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        } else {
            tls.warnIfPlain(host, port);
        }
        ControlConnection c = new ControlConnection(socket, replyTimeout, listener);
        c.greeting = greeting;
        try {
            if (listener != null) {
                c.startReader();
            } else {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, replyTimeout.toMillis()));
            }
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static Socket connectSocket(String host, int port, Duration connectTimeout) throws NetdiskConnectionException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was opened
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NetdiskConnectionException("cannot connect to " + host + ":" + port + ": " + why, e);
        }
    }

    /** Replaces the listener; the first non-null one starts the reader thread (after any command in flight). */
    synchronized void setListener(EventListener newListener) {
        this.listener = newListener;
        if (newListener != null && reader == null && failure == null && !closing) {
            try {
                startReader();
            } catch (IOException e) {
                fail(new NetdiskConnectionException("connection to the server lost: " + e.getMessage(), e));
            }
        }
    }

    /** Hands the reading over to a daemon thread; from then on replies come through the queue. */
    private void startReader() throws IOException {
        socket.setSoTimeout(0);  // the reader waits for events as long as the connection lives
        reader = new Thread(this::readLoop, "netdisk-control-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one command line and waits for its reply. */
    synchronized Reply request(String line) throws IOException {
        send(line);
        return awaitReply();
    }

    /** Waits for the next reply without sending anything (the greeting). */
    synchronized Reply awaitReply() throws IOException {
        if (greeting != null) {
            Reply g = greeting;
            greeting = null;
            return g;
        }
        if (reader == null) {
            return readReplyInline();
        }
        Object next;
        try {
            next = replies.poll(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new java.io.InterruptedIOException("interrupted while waiting for a reply");
        }
        if (next == null) {
            close();
            throw new NetdiskConnectionException("no reply from the server within " + replyTimeout.toSeconds() + " s");
        }
        if (next instanceof IOException e) {
            replies.add(e);  // keep failing every later request the same way
            throw new NetdiskConnectionException(e.getMessage(), e);
        }
        return (Reply) next;
    }

    /** Reads lines on this thread up to the next whole reply; events are skipped (there is no listener). */
    private Reply readReplyInline() throws IOException {
        IOException broken = failure;
        if (broken != null) {
            throw new NetdiskConnectionException(broken.getMessage(), broken);
        }
        try {
            String line;
            while ((line = in.readLine()) != null) {
                ReplyAssembler.Result result = assembler.accept(line);
                if (result instanceof ReplyAssembler.Completed completed) {
                    if (completed.reply().code() == 421) {
                        // The server closes the connection after a 421 (RFC 959): say so at once,
                        // as the reader thread would on the end of stream that follows.
                        failure = new NetdiskConnectionException("connection closed by the server: "
                                + completed.reply().text());
                        close();
                    }
                    return completed.reply();
                }
            }
            failure = new NetdiskConnectionException("connection closed by the server");
        } catch (java.net.SocketTimeoutException e) {
            close();
            failure = new NetdiskConnectionException("no reply from the server within " + replyTimeout.toSeconds() + " s");
        } catch (IOException e) {
            failure = closing ? new NetdiskConnectionException("connection closed")
                    : new NetdiskConnectionException("connection to the server lost: " + e.getMessage(), e);
        }
        throw new NetdiskConnectionException(failure.getMessage(), failure);
    }

    private void send(String line) throws IOException {
        IOException broken = failure;
        if (broken != null) {
            throw new NetdiskConnectionException(broken.getMessage(), broken);
        }
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new NetdiskConnectionException("connection to the server lost: " + e.getMessage(), e);
        }
    }

    boolean isOpen() {
        return failure == null && !socket.isClosed();
    }

    /** Sends a line without waiting for the reply (QUIT on close). */
    void sendQuietly(String line) {
        try {
            send(line);
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // the reader thread sees the close and ends
        }
    }

    private void readLoop() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                ReplyAssembler.Result result = assembler.accept(line);
                if (result instanceof ReplyAssembler.Completed completed) {
                    replies.add(completed.reply());
                } else if (result instanceof ReplyAssembler.Event event) {
                    dispatch(event.text());
                }
            }
            fail(new NetdiskConnectionException("connection closed by the server"));
        } catch (IOException e) {
            fail(closing ? new NetdiskConnectionException("connection closed")
                    : new NetdiskConnectionException("connection to the server lost: " + e.getMessage(), e));
        } finally {
            EventListener l = listener;
            if (l != null) {
                try {
                    l.closed();
                } catch (RuntimeException ignored) {
                    // a listener's bug must not hide the close
                }
            }
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        replies.add(e);
    }

    /** {@code READ conversation id}; anything else after {@code READ} goes to {@link EventListener#other}. */
    private static void read(EventListener l, String event) {
        String[] f = event.split(" ");
        if (f.length == 3 && !f[1].isEmpty() && f[2].matches("[0-9]{1,18}")) {
            l.read(f[1], Long.parseLong(f[2]));
        } else {
            l.other(event);
        }
    }

    private void dispatch(String event) {
        EventListener l = listener;
        if (l == null) {
            return;
        }
        try {
            if (event.startsWith("CHAT ")) {
                ChatMessage message;
                try {
                    message = ChatMessage.parse(event.substring(5));
                } catch (IllegalArgumentException e) {
                    l.other(event);
                    return;
                }
                l.chat(message);
            } else if (event.startsWith("ONLINE ")) {
                l.presence(event.substring(7).trim(), true);
            } else if (event.startsWith("OFFLINE ")) {
                l.presence(event.substring(8).trim(), false);
            } else if (event.startsWith("READ ")) {
                read(l, event);
            } else {
                l.other(event);
            }
        } catch (RuntimeException ignored) {
            // a listener's bug must not stop the replies
        }
    }
}
