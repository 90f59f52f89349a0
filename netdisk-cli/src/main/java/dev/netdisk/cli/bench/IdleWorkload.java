package dev.netdisk.cli.bench;

import dev.netdisk.protocol.ProtocolClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code idle}: opens {@code --clients} connections on plain sockets (no thread each), logs each in
 * with {@code LOGIN TOKEN}, holds them for {@code --duration} (default 5 s), checks that every one
 * still answers {@code NOOP}, and reports the server's resident memory before and after
 * ({@code --server-pid}: VmRSS from /proc/PID/status, so the bench must run on the server's machine).
 * An operation is opening and logging in one connection.
 */
final class IdleWorkload implements Workload {

    private static final Duration DEFAULT_HOLD = Duration.ofSeconds(5);

    private final ConcurrentLinkedQueue<ProtocolClient> open = new ConcurrentLinkedQueue<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private Bench bench;
    private Bench.User user;
    private long rssBefore = -1;

    @Override
    public int threads(int clients) {
        return Math.min(clients, 16);
    }

    @Override
    public void setup(Bench b) {
        bench = b;
        user = b.createUsers(1).get(0);
        rssBefore = b.serverRssKib();
    }

    @Override
    public long op(int client, long seq) throws Exception {
        long t0 = System.nanoTime();
        ProtocolClient c = bench.raw(user);
        open.add(c);
        return System.nanoTime() - t0;
    }

    @Override
    public void afterRun(Bench b) throws Exception {
        Duration hold = b.options().duration() != null ? b.options().duration() : DEFAULT_HOLD;
        b.progress("holding %d connections for %d s", open.size(), hold.toSeconds());
        Thread.sleep(hold.toMillis());
        long rssAfter = b.serverRssKib();
        List<ProtocolClient> all = new ArrayList<>(open);
        int answered = 0;
        for (ProtocolClient c : all) {
            try {
                c.send("NOOP");
            } catch (IOException ignored) {
                // counted below: it will not answer
            }
        }
        for (ProtocolClient c : all) {
            try {
                if (c.reply().code() == 200) {
                    answered++;
                }
            } catch (IOException ignored) {
                // dropped by the server meanwhile
            }
        }
        extra.put("connections_held", all.size());
        extra.put("answered_noop_after_hold", answered);
        if (rssBefore > 0 && rssAfter > 0) {
            extra.put("server_rss_before_kib", rssBefore);
            extra.put("server_rss_after_kib", rssAfter);
            extra.put("server_rss_growth_kib", rssAfter - rssBefore);
            extra.put("server_rss_growth_per_connection_kib",
                    Report.round((rssAfter - rssBefore) / (double) Math.max(1, all.size()), 2));
        } else {
            extra.put("server_memory", "not measured (give --server-pid PID, on the server's machine)");
        }
        if (answered < all.size()) {
            throw new IOException(String.format(Locale.ROOT, "%d of %d idle connections did not answer NOOP",
                    all.size() - answered, all.size()));
        }
    }

    @Override
    public Map<String, Object> extra(double seconds, long ops) {
        return extra;
    }

    @Override
    public void cleanup(Bench b) {
        ProtocolClient c;
        while ((c = open.poll()) != null) {
            c.quit();
        }
        b.cleanupUsers(List.of());
    }
}
