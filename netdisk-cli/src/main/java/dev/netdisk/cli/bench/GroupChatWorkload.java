package dev.netdisk.cli.bench;

import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.NetdiskClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code group-chat}, one user and one client-library connection per client (the pairs workload,
 * {@code chat}, is {@link PairChatWorkload}): every client in one group; {@code --senders} of them send to
 * {@code #group}; an operation is one message, measured from sending it to the moment the last of
 * the other members has received its event (fan-out latency).
 *
 * <p>Every sender is paced to {@code --rate} messages per second (default: the server's limit of
 * 10 per user), so throughput comes from many senders, as it would on a real server.
 */
final class GroupChatWorkload implements Workload {

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

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Histogram ack = new ConcurrentHistogram(3);
    private NetdiskClient[] clients = new NetdiskClient[0];
    private List<Bench.User> users = List.of();
    private Pacer[] pacers;
    private String padding = "";
    private String groupName;
    private int senders;
    private double rate;

    @Override
    public int threads(int clients) {
        return senders;
    }

    @Override
    public void setup(Bench bench) throws Exception {
        BenchOptions o = bench.options();
        int n = o.clients();
        senders = Math.min(o.senders() <= 0 ? n : o.senders(), n);
        rate = o.rate();
        users = bench.createUsers(n);
        clients = new NetdiskClient[n];
        for (int i = 0; i < n; i++) {
            try {
                clients[i] = bench.client(users.get(i), listener());
                clients[i].social().listen(null);
            } catch (IOException e) {
                throw BenchAbort.of("opening connection " + (i + 1) + " of " + n, e);
            }
        }
        groupName = "#" + bench.prefix;
        clients[0].social().group("CREATE", groupName);
        clients[0].social().group("SET", groupName, "public");  // groups are invite-only by default
        for (int i = 1; i < n; i++) {
            clients[i].social().group("JOIN", groupName);
        }
        bench.progress("%d members joined %s", n, groupName);
        pacers = Pacer.spread(senders, rate);
        int pad = (int) Math.max(0, Math.min(o.size(), 4096) - 24);
        padding = " " + "x".repeat(pad);
    }

    private EventListener listener() {
        return new EventListener() {
            @Override
            public void chat(ChatMessage m) {
                String text = m.text();
                int space = text.indexOf(' ');
                String key = space < 0 ? text : text.substring(0, space);
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
        Pending p = new Pending(clients.length - 1);
        pending.put("g-" + id, p);
        try {
            long t0 = System.nanoTime();
            clients[sender].social().chat(groupName, "g-" + id + padding);
            ack.recordValue(Math.max(1, System.nanoTime() - t0));
            if (!p.done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(String.format(Locale.ROOT,
                        "fan-out incomplete after %d s: %d of %d members still waiting",
                        WAIT_SECONDS, p.remaining.get(), clients.length - 1));
            }
            return p.doneAt - t0;
        } finally {
            pending.remove("g-" + id);
        }
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        Map<String, Object> m = new LinkedHashMap<>();
        double s = Math.max(seconds, 1e-9);
        m.put("senders", senders);
        m.put("rate_per_sender", rate);
        m.put("recipients_per_message", clients.length - 1);
        m.put("messages_per_sec", Report.round(ops / s, 1));
        m.put("deliveries_per_sec", Report.round(ops * (double) (clients.length - 1) / s, 1));
        m.put("send_ack_ms_p50", ack.getTotalCount() == 0 ? 0.0 : Report.round(ack.getValueAtPercentile(50) / 1e6, 3));
        m.put("send_ack_ms_p99", ack.getTotalCount() == 0 ? 0.0 : Report.round(ack.getValueAtPercentile(99) / 1e6, 3));
        return m;
    }

    @Override
    public void cleanup(Bench bench) {
        for (NetdiskClient c : clients) {
            if (c != null) {
                c.close();
            }
        }
        bench.cleanupUsers(groupName != null ? List.of(groupName) : List.of());
    }
}
