package dev.netdisk.server.app;

import dev.netdisk.server.cluster.ClusterPresence;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The thread {@code netdisk-heartbeat}: every {@link ClusterPresence#HEARTBEAT} (5 s), or every
 * third of the upload lease when that is shorter, it renews the leases of what this server instance
 * runs ({@code upload-lease-seconds}, 30 s unless set) and its heartbeat among the servers (dead
 * after 15 s). A thread of its own, not the worker pool:
 * behind thousands of queued commands a renewal could come too late, and another server would then
 * take over an upload still being written here, or report this server's users offline.
 */
final class Heartbeat implements AutoCloseable {

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netdisk-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final WorkerChore beat;
    private final Duration period;

    /** @param lease the upload lease, which a renewal must come well within */
    Heartbeat(WorkerChore beat, Duration lease) {
        this.beat = beat;
        this.period = period(lease);
    }

    /** Every {@link ClusterPresence#HEARTBEAT}, or a third of {@code lease} when that is shorter. */
    static Duration period(Duration lease) {
        Duration third = lease.dividedBy(3);
        return third.compareTo(ClusterPresence.HEARTBEAT) < 0 ? third : ClusterPresence.HEARTBEAT;
    }

    void start() {
        long period = this.period.toMillis();
        thread.scheduleWithFixedDelay(() -> WorkerChore.submit(Runnable::run, beat, "renewing this server's leases"),
                period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing (a graceful stop then deletes the rows); waits for a renewal under way. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
