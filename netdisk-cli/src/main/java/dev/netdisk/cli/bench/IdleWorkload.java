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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code idle}: opens {@code --clients} connections on plain sockets (no thread each), logs each in
 * with {@code LOGIN TOKEN}, holds them for {@code --duration} (default 5 s), checks that every one
 * still answers {@code NOOP}, and reports the server's resident memory before and after
 * ({@code --server-pid}: VmRSS from /proc/PID/status, so the bench must run on the server's machine).
 * An operation is opening and logging in one connection.
 *
 * <p>With {@code --listen} each connection also sends {@code LISTEN}, as a shell or {@code listen}
 * does, and while held sends the heartbeat the server asked for ({@code NOOP} every
 * {@code heartbeat} seconds, spread evenly over {@value #HEARTBEAT_THREADS} threads); the report then
 * adds the heartbeats sent and the server's CPU time over the hold (utime + stime from
 * /proc/PID/stat, as a percentage of one core): the cost of idle listeners.
 */
final class IdleWorkload implements Workload {

    private static final Duration DEFAULT_HOLD = Duration.ofSeconds(5);
    private static final int HEARTBEAT_THREADS = 8;
    /** Clock ticks per second of /proc/PID/stat's times: USER_HZ, 100 on Linux for x86 and arm. */
    private static final double TICKS_PER_SECOND = 100;

    private final boolean listen;
    private volatile long heartbeatSeconds;

    IdleWorkload(boolean listen) {
        this.listen = listen;
    }

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
        if (listen) {
            heartbeatSeconds = Long.parseLong(c.command("LISTEN").expect(250).param("heartbeat"));
        }
        return System.nanoTime() - t0;
    }

    @Override
    public void afterRun(Bench b) throws Exception {
        Duration hold = b.options().duration() != null ? b.options().duration() : DEFAULT_HOLD;
        b.progress("holding %d connections for %d s%s", open.size(), hold.toSeconds(),
                listen ? ", a heartbeat every " + heartbeatSeconds + " s each" : "");
        List<ProtocolClient> all = new ArrayList<>(open);
        long cpuBefore = serverCpuTicks(b);
        long t0 = System.nanoTime();
        if (listen) {
            heartbeats(all, hold);
        } else {
            Thread.sleep(hold.toMillis());
        }
        double held = (System.nanoTime() - t0) / 1e9;
        long cpuAfter = serverCpuTicks(b);
        if (cpuBefore >= 0 && cpuAfter >= 0) {
            extra.put("server_cpu_seconds_during_hold", Report.round((cpuAfter - cpuBefore) / TICKS_PER_SECOND, 2));
            extra.put("server_cpu_percent_of_core", Report.round(100 * (cpuAfter - cpuBefore) / TICKS_PER_SECOND / held, 2));
        }
        long rssAfter = b.serverRssKib();
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

    /**
     * Sends each connection a {@code NOOP} every heartbeat for {@code hold}, reading its reply, the
     * connections shared among threads and each thread's sends spread evenly over the period.
     */
    private void heartbeats(List<ProtocolClient> all, Duration hold) throws Exception {
        long periodNanos = TimeUnit.SECONDS.toNanos(Math.max(1, heartbeatSeconds));
        long end = System.nanoTime() + hold.toNanos();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong late = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < HEARTBEAT_THREADS; t++) {
            List<ProtocolClient> mine = new ArrayList<>();
            for (int i = t; i < all.size(); i += HEARTBEAT_THREADS) {
                mine.add(all.get(i));
            }
            if (mine.isEmpty()) {
                continue;
            }
            Thread thread = new Thread(() -> {
                long gap = periodNanos / mine.size();
                long next = System.nanoTime() + gap;
                for (int i = 0; next < end; i = (i + 1) % mine.size(), next += gap) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else if (wait < -periodNanos) {
                        late.incrementAndGet();  // fell a whole period behind: the figure is off
                    }
                    try {
                        if (mine.get(i).command("NOOP").code() == 200) {
                            sent.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }, "bench-heartbeat-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        extra.put("heartbeat_seconds", heartbeatSeconds);
        extra.put("heartbeats_sent", sent.get());
        extra.put("heartbeats_per_sec", Report.round(sent.get() / (double) hold.toSeconds(), 1));
        extra.put("heartbeats_failed", failed.get());
        extra.put("heartbeats_a_period_late", late.get());
    }

    /** The server's CPU time so far (utime + stime, clock ticks) from /proc/PID/stat, or -1. */
    private static long serverCpuTicks(Bench b) {
        long pid = b.options().serverPid();
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);  // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            b.progress("cannot read /proc/%d/stat: %s", pid, e.getMessage());
            return -1;
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
