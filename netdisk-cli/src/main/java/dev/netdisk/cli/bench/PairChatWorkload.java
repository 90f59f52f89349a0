package dev.netdisk.cli.bench;

import dev.netdisk.protocol.ProtocolClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The {@code chat} workload on plain non-blocking sockets: clients in pairs of friends; the first
 * of a pair sends {@code ping}, the second answers {@code pong} as soon as the event arrives. An
 * operation is one ping; its latency is the round trip, from sending the ping to receiving the
 * pong ({@link #latency}).
 *
 * <p>Open loop, as wrk2 does it: one sender thread sends each pair's pings on a fixed schedule
 * ({@code --rate} per pair, the pairs' phases spread evenly over the interval), whether or not the
 * last pong came back, so a slow server meets the load it was offered instead of slowing the load
 * down. One selector thread reads every connection and sends the pongs. Two threads, not one per
 * pair: a thread per pair kept the run queue so long that it pushed the server's selector off the
 * CPU, and the bench measured itself.
 * Besides the round trip it records the <em>delivery</em> latency of every message, ping and pong
 * alike (from writing the {@code CHAT} line to reading its {@code * CHAT} event; same process, same
 * clock), and the time from a {@code CHAT} to its reply. Protocol: docs/PROTOCOL.md section 7.
 */
final class PairChatWorkload implements Workload {

    private static final long WAIT_SECONDS = 30;

    /** One client's connection: its channel, what is half-read, and its unanswered commands' send times. */
    private static final class Client {
        final SocketChannel channel;
        final String name;
        final ByteBuffer in = ByteBuffer.allocate(64 << 10);
        /** The commands sent and not yet answered, oldest first. */
        final Queue<Sent> unanswered = new ConcurrentLinkedQueue<>();

        Client(SocketChannel channel, String name) {
            this.channel = channel;
            this.name = name;
        }
    }

    /** A command on its way: when it was written and the key of its message. */
    private record Sent(long at, String messageKey) {
    }

    /** Pings whose pong has not come back, by key: when each was sent. */
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Recorder roundTrip = new Recorder(3);
    /** Ping and pong send times by key, for delivery latency. */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Recorder delivery = new Recorder(3);
    private final Recorder ack = new Recorder(3);
    private final LongAdder refused = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private Client[] clients = new Client[0];
    private int pairs;
    private long intervalNanos;
    /** When the sender's schedule starts (its first op of a run), or -1 before that. */
    private long startNanos = -1;
    /** The sequence number of the first op of the run, which {@link #startNanos} is the time of. */
    private long firstSeq;
    private Selector selector;
    private Thread reader;
    private volatile boolean running = true;
    private volatile String failure;
    private String padding = "";
    private double rate;

    @Override
    public int threads(int clients) {
        return 1;
    }

    @Override
    public void setup(Bench bench) throws Exception {
        BenchOptions o = bench.options();
        int n = o.clients() / 2 * 2;
        rate = o.rate();
        List<Bench.User> users = bench.createUsers(n);
        for (int i = 0; i < n; i += 2) {
            try (ProtocolClient a = bench.raw(users.get(i)); ProtocolClient b = bench.raw(users.get(i + 1))) {
                a.command("FRIEND ADD " + users.get(i + 1).name()).expect(250);
                b.command("FRIEND ACCEPT " + users.get(i).name()).expect(250);
            }
        }
        bench.progress("made %d pairs of friends", n / 2);
        selector = Selector.open();
        clients = new Client[n];
        for (int i = 0; i < n; i++) {
            try {
                clients[i] = connect(bench, users.get(i));
            } catch (IOException e) {
                throw BenchAbort.of("opening connection " + (i + 1) + " of " + n, e);
            }
            clients[i].channel.register(selector, SelectionKey.OP_READ, i);
        }
        pairs = n / 2;
        intervalNanos = (long) (1e9 / Math.max(rate, 1e-3));
        int pad = (int) Math.max(0, Math.min(o.size(), 4096) - 24);
        padding = " " + "x".repeat(pad);
        bench.progress("%d connections open", n);
        reader = new Thread(this::readLoop, "bench-chat-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects, logs in with the token and listens (blocking, reading byte by byte so nothing after the 250 is taken), then goes non-blocking. */
    private static Client connect(Bench bench, Bench.User user) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(bench.host, bench.port));
            expect(ch, "220");
            ch.write(ByteBuffer.wrap(("LOGIN TOKEN " + user.token() + "\n").getBytes(StandardCharsets.UTF_8)));
            expect(ch, "230");
            // A chat client listens: only listening connections get messages pushed.
            ch.write(ByteBuffer.wrap("LISTEN\n".getBytes(StandardCharsets.UTF_8)));
            expect(ch, "250");
            ch.configureBlocking(false);
            return new Client(ch, user.name());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads lines until one starts with {@code code + " "}; a reply with another code is an error. */
    private static void expect(SocketChannel ch, String code) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder line = new StringBuilder();
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new EOFException("connection closed by the server");
            }
            char c = (char) one.get(0);
            if (c != '\n') {
                line.append(c);
                continue;
            }
            String l = line.toString().strip();
            line.setLength(0);
            if (l.startsWith("* ") || l.length() < 4 || l.charAt(3) == '-') {
                continue;
            }
            if (l.startsWith(code + " ")) {
                return;
            }
            throw new IOException("expected " + code + ", got: " + l);
        }
    }

    /**
     * Sends the {@code i}th ping of the run's schedule ({@code i = seq - firstSeq}): pair
     * {@code i % pairs}, due at round {@code i / pairs} plus the pair's phase. Waits until it is
     * due; a late sender sends at once.
     *
     * @return the nanoseconds the send took (the round trips go to {@link #latency})
     */
    @Override
    public long op(int sender, long seq) throws Exception {
        String f = failure;
        if (f != null) {
            throw new IOException(f);
        }
        if (startNanos < 0) {
            startNanos = System.nanoTime();
            firstSeq = seq;
        }
        long i = seq - firstSeq;
        int pair = (int) (i % pairs);
        long due = startNanos + (i / pairs) * intervalNanos + pair * intervalNanos / pairs;
        long now;
        while ((now = System.nanoTime()) < due) {
            LockSupport.parkNanos(due - now);
        }
        String key = pair + "-" + seq;
        Client from = clients[2 * pair];
        Client to = clients[2 * pair + 1];
        pending.put(key, now);
        send(from, "CHAT " + to.name + " ping-" + key + padding, "ping-" + key);
        return System.nanoTime() - now;
    }

    /** The round trips, ping sent to pong received, in nanoseconds. */
    @Override
    public Histogram latency() {
        return roundTrip.getIntervalHistogram();
    }

    /** A warm-up of {@code warmup} rounds: one ping per pair each. */
    @Override
    public long warmupRequests(int warmup, int clients) {
        return (long) warmup * pairs;
    }

    /** Waits for the warm-up's pongs, then forgets its latencies and counts and restarts the schedule. */
    @Override
    public void afterWarmup() throws Exception {
        afterRun(null);
        delivery.reset();
        ack.reset();
        roundTrip.reset();
        delivered.reset();
        refused.reset();
        startNanos = -1;
    }

    /** Waits (up to {@value #WAIT_SECONDS} s) for the pongs still on their way. */
    @Override
    public void afterRun(Bench bench) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!pending.isEmpty() && failure == null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (failure != null) {
            throw new IOException(failure);
        }
        if (!pending.isEmpty()) {
            throw new IOException(pending.size() + " pings got no pong within " + WAIT_SECONDS + " s");
        }
    }

    /** Writes one command; records its send time for the reply and, for a message, for its delivery. */
    private void send(Client c, String line, String messageKey) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long now = System.nanoTime();
        sentAt.put(messageKey, now);
        c.unanswered.add(new Sent(now, messageKey));
        synchronized (c) {
            while (b.hasRemaining()) {
                if (c.channel.write(b) == 0) {
                    LockSupport.parkNanos(50_000); // the socket buffer is full: the server is behind
                }
            }
        }
    }

    private void readLoop() {
        try {
            while (running) {
                selector.select(100);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    Client c = clients[(Integer) key.attachment()];
                    int n = c.channel.read(c.in);
                    if (n < 0) {
                        throw new EOFException("connection closed by the server");
                    }
                    lines(c, (Integer) key.attachment());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                failure = "reader: " + e;
            }
        }
    }

    /** Handles every complete line in the client's buffer. */
    private void lines(Client c, int index) throws IOException {
        ByteBuffer in = c.in;
        in.flip();
        int start = 0;
        for (int i = in.position(); i < in.limit(); i++) {
            if (in.get(i) == '\n') {
                line(c, index, new String(in.array(), start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        in.position(start);
        in.compact();
        if (!in.hasRemaining()) {
            throw new IOException("a line longer than " + in.capacity() + " bytes");
        }
    }

    private void line(Client c, int index, String line) throws IOException {
        long now = System.nanoTime();
        if (line.startsWith("* CHAT ")) {
            int ping = line.indexOf(" ping-");
            int pong = line.indexOf(" pong-");
            int at = ping >= 0 ? ping : pong;
            if (at < 0) {
                return;
            }
            int end = line.indexOf(' ', at + 1);
            String messageKey = line.substring(at + 1, end < 0 ? line.length() : end);
            Long sent = sentAt.remove(messageKey);
            if (sent != null) {
                delivery.recordValue(Math.max(1, now - sent));
                delivered.increment();
            }
            String key = messageKey.substring(5);
            if (ping >= 0 && index % 2 == 1) {
                send(c, "CHAT " + clients[index - 1].name + " pong-" + key + padding, "pong-" + key);
            } else if (pong >= 0) {
                Long pingSent = pending.remove(key);
                if (pingSent != null) {
                    roundTrip.recordValue(Math.max(1, now - pingSent));
                }
            }
        } else if (!line.startsWith("* ") && line.length() >= 4 && line.charAt(3) == ' ') {
            Sent sent = c.unanswered.poll();
            if (sent != null) {
                ack.recordValue(Math.max(1, now - sent.at()));
            }
            if (!line.startsWith("250")) {
                refused.increment();
                // A refused ping will get no pong; a refused pong leaves its ping pending.
                if (sent != null && sent.messageKey().startsWith("ping-")) {
                    pending.remove(sent.messageKey().substring(5));
                }
            }
        }
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        Map<String, Object> m = new LinkedHashMap<>();
        double s = Math.max(seconds, 1e-9);
        Histogram d = delivery.getIntervalHistogram();
        Histogram a = ack.getIntervalHistogram();
        m.put("senders", pairs);
        m.put("rate_per_sender", rate);
        m.put("messages_per_sec", Report.round(2 * ops / s, 1));
        m.put("deliveries_per_sec", Report.round(delivered.sum() / s, 1));
        m.put("delivery_ms_p50", ms(d, 50));
        m.put("delivery_ms_p99", ms(d, 99));
        m.put("delivery_ms_max", d.getTotalCount() == 0 ? 0.0 : Report.round(d.getMaxValue() / 1e6, 3));
        m.put("send_ack_ms_p50", ms(a, 50));
        m.put("send_ack_ms_p99", ms(a, 99));
        m.put("refused", refused.sum());
        return m;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0.0 : Report.round(h.getValueAtPercentile(percentile) / 1e6, 3);
    }

    @Override
    public void cleanup(Bench bench) {
        running = false;
        if (reader != null) {
            try {
                reader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Client c : clients) {
            if (c != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        bench.cleanupUsers(List.of());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "chat: %d clients", clients.length);
    }
}
