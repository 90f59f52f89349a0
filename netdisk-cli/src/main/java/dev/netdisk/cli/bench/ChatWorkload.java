package dev.netdisk.cli.bench;

import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.NetdiskClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The chat workloads, one user and one client-library connection per client.
 *
 * <p>{@code chat}: clients in pairs of friends; the first of a pair sends {@code ping}, the second
 * answers {@code pong} from its own thread as soon as the event arrives; an operation is one round
 * trip, measured from sending the ping to receiving the pong.
 *
 * <p>{@code group-chat}: every client in one group; {@code --senders} of them send to
 * {@code #group}; an operation is one message, measured from sending it to the moment the last of
 * the other members has received its event (fan-out latency).
 *
 * <p>Every sender is paced to {@code --rate} messages per second (default: the server's limit of
 * 10 per user), so throughput comes from many senders, as it would on a real server.
 */
final class ChatWorkload implements Workload {

    private static final long WAIT_SECONDS = 30;

    /** A message on its way: how many recipients still have to see it, and when the last one did. */
    private static final class Pending {
        final AtomicInteger remaining;
        final CountDownLatch done = new CountDownLatch(1);
        volatile long doneAt;

        Pending(int recipients) {
            remaining = new AtomicInteger(recipients);
        }

        void arrived() {
            if (remaining.decrementAndGet() == 0) {
                doneAt = System.nanoTime();
                done.countDown();
            }
        }
    }

    private final boolean group;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Histogram ack = new ConcurrentHistogram(3);
    private final List<ExecutorService> responders = new ArrayList<>();
    private NetdiskClient[] clients = new NetdiskClient[0];
    private List<Bench.User> users = List.of();
    private Pacer[] pacers;
    private String padding = "";
    private String groupName;
    private int senders;
    private double rate;

    ChatWorkload(boolean group) {
        this.group = group;
    }

    @Override
    public int threads(int clients) {
        return group ? senders : clients / 2;
    }

    @Override
    public void setup(Bench bench) throws Exception {
        BenchOptions o = bench.options();
        int n = group ? o.clients() : o.clients() / 2 * 2;
        senders = group ? Math.min(o.senders() <= 0 ? n : o.senders(), n) : n / 2;
        rate = o.rate();
        users = bench.createUsers(n);
        clients = new NetdiskClient[n];
        for (int i = 0; i < n; i++) {
            try {
                clients[i] = bench.client(users.get(i), listener(i));
            } catch (IOException e) {
                throw BenchAbort.of("opening connection " + (i + 1) + " of " + n, e);
            }
        }
        if (group) {
            groupName = "#" + bench.prefix;
            clients[0].group("CREATE", groupName);
            for (int i = 1; i < n; i++) {
                clients[i].group("JOIN", groupName);
            }
            bench.progress("%d members joined %s", n, groupName);
        } else {
            for (int i = 0; i < n; i += 2) {
                clients[i].friendAdd(users.get(i + 1).name());
                clients[i + 1].friendAccept(users.get(i).name());
                ExecutorService responder = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "bench-responder");
                    t.setDaemon(true);
                    return t;
                });
                responders.add(responder);
            }
            bench.progress("made %d pairs of friends", n / 2);
        }
        pacers = new Pacer[senders];
        for (int i = 0; i < senders; i++) {
            pacers[i] = new Pacer(rate);
        }
        int pad = (int) Math.max(0, Math.min(o.size(), 4096) - 24);
        padding = " " + "x".repeat(pad);
    }

    private EventListener listener(int index) {
        return new EventListener() {
            @Override
            public void chat(ChatMessage m) {
                String text = m.text();
                int space = text.indexOf(' ');
                String key = space < 0 ? text : text.substring(0, space);
                if (!group && key.startsWith("ping-") && index % 2 == 1) {
                    String from = m.from();
                    NetdiskClient me = clients[index];
                    responders.get(index / 2).execute(() -> {
                        try {
                            me.chat(from, "pong-" + key.substring(5));
                        } catch (IOException ignored) {
                            // the initiator times out and counts the error
                        }
                    });
                    return;
                }
                Pending p = pending.get(key);
                if (p != null) {
                    p.arrived();
                }
            }
        };
    }

    @Override
    public long op(int sender, long seq) throws Exception {
        pacers[sender].await();
        String id = sender + "-" + seq;
        Pending p = new Pending(group ? clients.length - 1 : 1);
        pending.put(group ? "g-" + id : "pong-" + id, p);
        try {
            long t0 = System.nanoTime();
            if (group) {
                clients[sender].chat(groupName, "g-" + id + padding);
            } else {
                clients[2 * sender].chat(users.get(2 * sender + 1).name(), "ping-" + id + padding);
            }
            ack.recordValue(Math.max(1, System.nanoTime() - t0));
            if (!p.done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(group
                        ? String.format(Locale.ROOT, "fan-out incomplete after %d s: %d of %d members still waiting",
                                WAIT_SECONDS, p.remaining.get(), clients.length - 1)
                        : "no pong within " + WAIT_SECONDS + " s");
            }
            return p.doneAt - t0;
        } finally {
            pending.remove(group ? "g-" + id : "pong-" + id);
        }
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        Map<String, Object> m = new LinkedHashMap<>();
        double s = Math.max(seconds, 1e-9);
        m.put("senders", senders);
        m.put("rate_per_sender", rate);
        if (group) {
            m.put("recipients_per_message", clients.length - 1);
            m.put("messages_per_sec", Report.round(ops / s, 1));
            m.put("deliveries_per_sec", Report.round(ops * (double) (clients.length - 1) / s, 1));
        } else {
            m.put("messages_per_sec", Report.round(2 * ops / s, 1));
        }
        m.put("send_ack_ms_p50", ack.getTotalCount() == 0 ? 0.0 : Report.round(ack.getValueAtPercentile(50) / 1e6, 3));
        m.put("send_ack_ms_p99", ack.getTotalCount() == 0 ? 0.0 : Report.round(ack.getValueAtPercentile(99) / 1e6, 3));
        return m;
    }

    @Override
    public void cleanup(Bench bench) {
        responders.forEach(ExecutorService::shutdownNow);
        for (NetdiskClient c : clients) {
            if (c != null) {
                c.close();
            }
        }
        bench.cleanupUsers(groupName != null ? List.of(groupName) : List.of());
    }
}
