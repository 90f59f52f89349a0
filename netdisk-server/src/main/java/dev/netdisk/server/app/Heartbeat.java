package dev.netdisk.server.app;

import dev.netdisk.server.cluster.ClusterPresence;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The thread {@code netdisk-heartbeat}: every {@link ClusterPresence#HEARTBEAT} (5 s) it renews
 * the leases of what this server instance runs (30 s, {@link dev.netdisk.server.transfer.Tickets#LEASE})
 * and its heartbeat among the servers (dead after 15 s). A thread of its own, not the worker pool:
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

    Heartbeat(WorkerChore beat) {
        this.beat = beat;
    }

    void start() {
        long period = ClusterPresence.HEARTBEAT.toMillis();
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
