package dev.netdisk.cli.client;

import dev.netdisk.cli.client.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.RecursiveTransfer.Status;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second phase of a recursive transfer: {@code parallel} workers take the files left from one
 * queue. Each worker uses its own control connection: the server runs the commands of one
 * connection one at a time, so N workers on one connection would queue behind each other's
 * ticket requests. Worker 0 uses the caller's client; the others are opened with
 * {@link RecursiveTransfer.Connections#open()}. A small file's request is pipelined with others
 * and its data connection runs on a pool, {@link #WINDOW} at a time per worker; a bigger one
 * takes the single-file path ({@link MirrorRetry}). A failed file does not stop the others; a
 * broken connection is reopened once, and when that fails the run stops taking new files.
 *
 * <p>Threading: {@link #run} blocks until every worker is done; a cancel of the caller's handle
 * cancels every worker's transfer at once.
 */
final class MirrorWorkers {

    /**
     * Small files in flight per control connection: their requests are pipelined and their data
     * connections run at once. With the default 4 connections that is 16 transfers, the server's
     * default limit of transfers per user.
     */
    static final int WINDOW = 4;

    private final MirrorRun run;
    private final MirrorTally tally;
    private final Cancellation cancel;
    private final MirrorRetry retry;
    private final List<Cancellation> workerCancels = new CopyOnWriteArrayList<>();
    /** Runs the data connections of small files, {@link #WINDOW} per control connection. */
    private ExecutorService dataPool;
    /** The small files' data connections, kept from one file to the next. */
    private SmallTransfers small;

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
        AtomicInteger dataThreads = new AtomicInteger();
        small = new SmallTransfers(run.main().host(), run.main().port());
        dataPool = Executors.newFixedThreadPool(workers * WINDOW, r -> {
            Thread t = new Thread(r, "netdisk-data-" + dataThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
            dataPool.shutdown();
            small.close();
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
        // Small files in flight on this connection: their data connections run at once.
        Semaphore window = new Semaphore(WINDOW);
        try {
            MirrorJob job;
            while (!stopping() && (job = queue.poll()) != null) {
                tally.attempted();
                try {
                    if (client == null || !client.isConnected()) {
                        // The files in flight may still use the old connection for a retry: let them end.
                        drain(window);
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
                    if (small(job)) {
                        pipelined(client, job, queue, window);
                    } else {
                        tally.finished(retry.transfer(client, job, mine));
                    }
                } catch (NetdiskConnectionException e) {
                    // Try the file once more on a fresh connection; if that cannot be had, stop the run.
                    if (!reopened && !cancel.isCancelled()) {
                        reopened = true;
                        try {
                            drain(window);
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
            drain(window);
            if (client != null && client != main) {
                client.close();
            }
        }
    }

    /** Whether {@code job} goes through the pipelined small-file path. */
    private boolean small(MirrorJob job) {
        if (run.uploading()) {
            return job.size() <= ProtocolLimits.CHUNK_BYTES && (job.existing() == null || !job.existing().isDirectory());
        }
        // A kept .part resumes on the single-file path.
        return job.size() <= ProtocolLimits.CHUNK_BYTES && !job.hasPart();
    }

    /**
     * Small files: takes {@code first} and as many more small files as the window has room for,
     * sends their UPLOAD or DOWNLOAD requests pipelined (one write, one round trip), and starts
     * each file's data connection on the data pool without waiting for it. Returns once the
     * requests are answered; a file that has nothing to move (identical) is finished here.
     */
    private void pipelined(NetdiskClient client, MirrorJob first, ConcurrentLinkedQueue<MirrorJob> queue,
                           Semaphore window) throws IOException {
        acquire(window);
        List<MirrorJob> batch = new ArrayList<>();
        batch.add(first);
        while (batch.size() < WINDOW && window.tryAcquire()) {
            MirrorJob next = !stopping() ? queue.poll() : null;
            if (next == null) {
                window.release();
                break;
            }
            if (!small(next)) {
                // A big one waits for the single-file path (at the head of this worker's next turn).
                window.release();
                queue.add(next);
                break;
            }
            tally.attempted();
            batch.add(next);
        }
        List<MirrorJob> sending = new ArrayList<>();
        List<SmallTransfers.Content> contents = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (MirrorJob job : batch) {
            try {
                SmallTransfers.Content content = null;
                boolean identical;
                if (run.uploading()) {
                    content = SmallTransfers.Content.read(job.local());
                    identical = SkipIdentical.there(job, content);
                } else {
                    identical = SkipIdentical.here(job, null);
                }
                if (identical) {
                    window.release();
                    tally.skipped(job);
                    continue;
                }
                contents.add(content);
                lines.add(run.uploading() ? SmallTransfers.uploadLine(job.remote(), content, job.existing() != null)
                        : SmallTransfers.downloadLine(job.remote()));
                sending.add(job);
            } catch (IOException e) {
                window.release();
                tally.failed(job, e);
            }
        }
        List<Reply> replies;
        try {
            replies = client.requestAll(lines);
        } catch (IOException e) {
            window.release(sending.size());
            // The first file is retried by the caller on a fresh connection; the others fail with it.
            for (MirrorJob job : sending) {
                if (job != first) {
                    tally.failed(job, e);
                }
            }
            if (sending.contains(first)) {
                throw e;
            }
            return;
        }
        for (int i = 0; i < sending.size(); i++) {
            start(client, sending.get(i), contents.get(i), replies.get(i), window);
        }
    }

    /** Starts one small file's data connection on the data pool; the window's permit is released when it ends. */
    private void start(NetdiskClient control, MirrorJob job, SmallTransfers.Content content, Reply reply,
                       Semaphore window) {
        Cancellation own = new Cancellation();
        workerCancels.add(own);
        if (cancel.isCancelled()) {
            own.cancel();
        }
        try {
            dataPool.execute(() -> {
                try {
                    tally.finished(sendSmall(control, job, content, reply, own));
                } catch (TransferCancelledException e) {
                    tally.unattempted();
                    cancel.cancel();
                } catch (IOException e) {
                    tally.failed(job, e);
                } finally {
                    workerCancels.remove(own);
                    window.release();
                }
            });
        } catch (RuntimeException e) {
            workerCancels.remove(own);
            window.release();
            tally.failed(job, new IOException("cannot start the transfer: " + e, e));
        }
    }

    /** Data pool: one small file's bytes; on a transient refusal or a mismatch, the single-file path retries it. */
    private FileOutcome sendSmall(NetdiskClient control, MirrorJob job, SmallTransfers.Content content, Reply reply,
                                  Cancellation own) throws IOException {
        try {
            if (reply.code() != 350) {
                throw new ReplyException(reply.code(), reply.text());
            }
            TransferResult r = run.uploading()
                    ? small.upload(job.local(), job.remote(), content, reply, own)
                    : small.download(job.remote(), job.local(), reply, own);
            tally.moved(r.size() - r.offset());
            return new FileOutcome(Status.TRANSFERRED, job.remote(), job.local(), r.size(), r.offset(), null);
        } catch (ReplyException e) {
            if (!MirrorRetry.fallsBack(run.uploading(), e.code()) || cancel.isCancelled()) {
                throw e;
            }
        } catch (ChecksumMismatchException e) {
            if (cancel.isCancelled()) {
                throw e;
            }
        }
        // The single-file path, with its pauses and retries, on the same control connection.
        return retry.transfer(control, job, own);
    }

    private static void acquire(Semaphore window) throws TransferCancelledException {
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferCancelledException("interrupted");
        }
    }

    /** Waits until every small file this worker started has ended. */
    private static void drain(Semaphore window) {
        window.acquireUninterruptibly(WINDOW);
        window.release(WINDOW);
    }
}
