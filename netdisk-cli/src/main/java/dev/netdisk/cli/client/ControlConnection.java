package dev.netdisk.cli.client;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The control connection: sends command lines and hands back their replies, in order.
 *
 * <p>Threading: one daemon reader thread per connection reads every line. Replies go to a queue
 * that {@link #request(String)} takes from; event lines ({@code "* "}) go straight to the
 * {@link EventListener} on the reader thread, so events arrive while the connection is idle.
 * {@link #request(String)} is synchronized: one command and its reply at a time. A failure of the
 * connection is queued like a reply and rethrown to every later request.
 */
final class ControlConnection implements Closeable {

    private final Socket socket;
    private final OutputStream out;
    private final LineInput in;
    private final Duration replyTimeout;
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final ReplyAssembler assembler = new ReplyAssembler();
    private final Thread reader;
    private volatile EventListener listener;
    private volatile boolean closing;
    private volatile IOException failure;

    private ControlConnection(Socket socket, Duration replyTimeout, EventListener listener) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new LineInput(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        this.replyTimeout = replyTimeout;
        this.listener = listener;
        this.reader = new Thread(this::readLoop, "netdisk-control-" + socket.getLocalPort());
        this.reader.setDaemon(true);
    }

    /** Connects and starts the reader thread; the greeting is the first reply in the queue. */
    static ControlConnection open(String host, int port, Duration connectTimeout, Duration replyTimeout,
                                  EventListener listener) throws IOException {
        Socket socket = connectSocket(host, port, connectTimeout);
        ControlConnection c = new ControlConnection(socket, replyTimeout, listener);
        c.reader.start();
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

    void setListener(EventListener newListener) {
        this.listener = newListener;
    }

    /** Sends one command line and waits for its reply. */
    synchronized Reply request(String line) throws IOException {
        send(line);
        return awaitReply();
    }

    /**
     * Pipelining: sends every line at once (one write), then waits for their replies, in order.
     * The server runs them one after another as if they had come one by one; this saves a round
     * trip per line.
     */
    synchronized List<Reply> requestAll(List<String> lines) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String line : lines) {
            all.append(line).append('\n');
        }
        if (!lines.isEmpty()) {
            all.setLength(all.length() - 1);
            send(all.toString());
        }
        List<Reply> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.add(awaitReply());
        }
        return out;
    }

    /** Waits for the next reply without sending anything (the greeting). */
    synchronized Reply awaitReply() throws IOException {
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
            } else {
                l.other(event);
            }
        } catch (RuntimeException ignored) {
            // a listener's bug must not stop the replies
        }
    }
}
