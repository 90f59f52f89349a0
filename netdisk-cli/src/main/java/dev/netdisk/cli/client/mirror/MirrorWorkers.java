package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.cli.client.TransferCancelledException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The second phase of a recursive transfer: {@code parallel} workers take the files left from one
 * queue. Each worker uses its own control connection: the server runs the commands of one
 * connection one at a time, so N workers on one connection would queue behind each other's
 * ticket requests. Worker 0 uses the caller's client; the others are opened with
 * {@link RecursiveTransfer.Connections#open()}. Each file takes the single-file path with its
 * retries ({@link MirrorRetry}); the small files went in a batch before ({@link MirrorBatch}). A
 * failed file does not stop the others; a broken connection is reopened once, and when that fails
 * the run stops taking new files.
 *
 * <p>Threading: {@link #run} blocks until every worker is done; a cancel of the caller's handle
 * cancels every worker's transfer at once.
 */
final class MirrorWorkers {

    private final MirrorRun run;
    private final MirrorTally tally;
    private final Cancellation cancel;
    private final MirrorRetry retry;
    private final List<Cancellation> workerCancels = new CopyOnWriteArrayList<>();

    MirrorWorkers(MirrorRun run) {
        this.run = run;
        this.tally = run.tally();
        this.cancel = run.cancel();
        this.retry = new MirrorRetry(run);
    }

    /** Moves {@code jobs} (not empty) and returns when every worker is done. */
    void run(List<MirrorJob> jobs) throws IOException {
        ConcurrentLinkedQueue<MirrorJob> queue = new ConcurrentLinkedQueue<>(jobs);
        cancel.attach(() -> workerCancels.forEach(Cancellation::cancel));
        int workers = Math.min(run.parallel(), Math.max(1, jobs.size()));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int index = i;
            Thread t = new Thread(() -> work(index, queue), "netdisk-" + (run.uploading() ? "upload" : "download") + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            cancel.cancel();
            Thread.currentThread().interrupt();
            throw new TransferCancelledException("interrupted");
        } finally {
            cancel.detach();
        }
    }

    private boolean stopping() {
        return tally.stopped() || cancel.isCancelled();
    }

    private void work(int index, ConcurrentLinkedQueue<MirrorJob> queue) {
        NetdiskClient main = run.main();
        Cancellation mine = new Cancellation();
        workerCancels.add(mine);
        if (cancel.isCancelled()) {
            mine.cancel();
        }
        NetdiskClient client = index == 0 ? main : null;
        boolean reopened = false;
        try {
            MirrorJob job;
            while (!stopping() && (job = queue.poll()) != null) {
                tally.attempted();
                try {
                    if (client == null || !client.isConnected()) {
                        if (client != null && client != main) {
                            client.close();
                        }
                        client = null;
                        try {
                            client = run.connections().open();
                        } catch (IOException e) {
                            if (index == 0) {
                                throw e;
                            }
                            // One worker fewer (the server may refuse more sessions): the others carry on.
                            queue.add(job);
                            tally.unattempted();
                            tally.openFailed(e);
                            return;
                        }
                    }
                    tally.finished(retry.transfer(client, job, mine));
                } catch (NetdiskConnectionException e) {
                    // Try the file once more on a fresh connection; if that cannot be had, stop the run.
                    if (!reopened && !cancel.isCancelled()) {
                        reopened = true;
                        try {
                            if (client != null && client != main) {
                                client.close();
                            }
                            client = run.connections().open();
                            tally.finished(retry.transfer(client, job, mine));
                            continue;
                        } catch (NetdiskConnectionException again) {
                            e = again;
                        } catch (IOException other) {
                            tally.failed(job, other);
                            continue;
                        }
                    }
                    tally.failed(job, e);
                    tally.stop(e);
                } catch (TransferCancelledException e) {
                    tally.unattempted();
                    cancel.cancel();
                } catch (IOException e) {
                    tally.failed(job, e);
                }
            }
        } finally {
            if (client != null && client != main) {
                client.close();
            }
        }
    }
}
