package dev.netdisk.server.transfer;

import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.BlobUpload;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The last step of an upload whose bytes are all in and verified: make them durable, then
 * visible, with <b>group commit</b>. Many small uploads finishing at once share one fsync round
 * and one SQLite transaction, instead of each paying for its own.
 *
 * <p>The committer thread takes every upload that is ready, places each blob
 * ({@link BlobUpload#place}: a rename into {@code blobs/}, or S3's CompleteMultipartUpload), then runs one fsync round on the sync pool: every file and every directory that
 * received one, all at once (the disk merges concurrent fsyncs into one journal commit, where a
 * single thread would wait for each in turn). Then it inserts all their nodes in one transaction
 * ({@link FileTree#commitFiles}, one savepoint each, so one refusal does not fail the others;
 * {@link UploadAdmission#placementRefusal} decides whether each may be placed),
 * which syncs the WAL before it returns. A small file has no blob file: its bytes go into that
 * transaction ({@link dev.netdisk.server.store.InlineBlobs}). While a group commits, the next one
 * gathers.
 *
 * <p>The guarantee is the one of a single upload ({@code docs/ARCHITECTURE.md}, "The life of an
 * upload"): an upload's {@code done} runs only after its blob and its directory entry are durable
 * and the transaction that makes it visible has committed; a crash before leaves an unreferenced
 * blob that the start-up sweep removes.
 *
 * <p>Threading: {@link #commit} may be called from any thread and never blocks; {@code done} runs
 * on the committer thread, never on the selector thread, and must not block.
 */
public final class UploadCommits implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UploadCommits.class.getName());

    /** Threads that wait in fsync: I/O, not CPU, so more than the cores. */
    static final int SYNC_THREADS = 16;
    /** At most this many uploads in one transaction. */
    static final int MAX_BATCH = 256;

    /**
     * How an upload's commit ended: {@code commit} when it is visible, else the {@code failure}
     * (an {@link IOException} from the disk, or a refusal from {@link FileTree#commitFiles}).
     */
    public record Outcome(FileTree.Commit commit, Exception failure) {
    }

    private record Ready(FileTree.NewFile file, BlobUpload upload, Consumer<Outcome> done) {
    }

    private final FileTree tree;
    private final Quotas quotas;
    private final BlobStore blobs;
    private final PartialUploads partials;
    private final ExecutorService sync;
    private final BlockingQueue<Ready> ready = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean stopping;
    /** Uploads handed over so far ({@link #handedOver}). */
    private final AtomicLong handedOver = new AtomicLong();
    /** Group transactions committed so far ({@link #transactions}). */
    private final AtomicLong transactions = new AtomicLong();

    public UploadCommits(FileTree tree, BlobStore blobs, PartialUploads partials) {
        this(tree, blobs, partials, null);
    }

    /**
     * @param quotas checked inside each commit's transaction (exact, whatever runs at once), or null
     *               for no check there
     */
    public UploadCommits(FileTree tree, BlobStore blobs, PartialUploads partials, Quotas quotas) {
        this.quotas = quotas;
        this.tree = tree;
        this.blobs = blobs;
        this.partials = partials;
        AtomicInteger n = new AtomicInteger();
        this.sync = new ThreadPoolExecutor(SYNC_THREADS, SYNC_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(100_000), r -> {
                    Thread t = new Thread(r, "netdisk-sync-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) sync).allowCoreThreadTimeOut(true);
        this.committer = new Thread(this::run, "netdisk-commit");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /**
     * Makes {@code file} durable and visible, then runs {@code done} with the outcome. Takes over
     * {@code upload} (its bytes stored to the end) and closes it; for a small file, whose
     * bytes are {@link FileTree.NewFile#content}, {@code upload} is null. On a failure the blob
     * and the kept upload are deleted before {@code done} runs: nothing was visible.
     *
     * @throws RejectedExecutionException when the server is stopping ({@code upload} is left open
     *                                    and nothing was changed)
     */
    public void commit(FileTree.NewFile file, BlobUpload upload, Consumer<Outcome> done) {
        if (stopping) {
            throw new RejectedExecutionException("stopping");
        }
        ready.add(new Ready(file, upload, done));
        handedOver.incrementAndGet();
    }

    private void run() {
        List<Ready> batch = new ArrayList<>();
        while (true) {
            try {
                Ready first = ready.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping && ready.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                ready.drainTo(batch, MAX_BATCH - 1);
                commitBatch(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "upload commit failed", e);
                for (Ready r : batch) {
                    r.done().accept(new Outcome(null, e));
                }
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Committer thread: rename every blob into place, then one fsync round (every file and every
     * directory that received one, all at once), then one transaction for all. Renaming before
     * the bytes are durable is safe: nothing refers to the blob until the transaction commits,
     * and a crash before that leaves it unreferenced, for the start-up sweep.
     */
    private void commitBatch(List<Ready> batch) throws InterruptedException {
        List<Ready> placed = new ArrayList<>(batch.size());
        // Small files: their bytes go into the transaction itself, nothing to rename or sync.
        List<Ready> inline = new ArrayList<>();
        Set<Path> dirs = new LinkedHashSet<>();
        for (Ready r : batch) {
            if (r.file().content() != null) {
                inline.add(r);
                continue;
            }
            try {
                // Locally a rename (its directory synced below); on S3 the multipart upload's completion.
                Path dir = r.upload().place();
                if (dir != null) {
                    dirs.add(dir);
                }
                placed.add(r);
            } catch (IOException | RuntimeException e) {
                r.upload().closeQuietly();
                fail(r, e);
            }
        }
        // A lone upload has nothing to share a round with: its two fsyncs run here, no thread handoff.
        boolean alone = placed.size() == 1;
        List<Future<?>> syncs = new ArrayList<>(placed.size() + dirs.size());
        for (Ready r : placed) {
            syncs.add(submitSync(alone, () -> r.upload().force()));
        }
        for (Path dir : dirs) {
            syncs.add(submitSync(alone, () -> LocalBlobStore.syncDirectory(dir)));
        }
        List<Ready> durable = new ArrayList<>(placed.size());
        IOException dirFailure = null;
        for (int i = 0; i < syncs.size(); i++) {
            IOException failure = outcome(syncs.get(i));
            if (i < placed.size()) {
                if (failure == null) {
                    durable.add(placed.get(i));
                } else {
                    fail(placed.get(i), failure);
                }
            } else if (failure != null) {
                dirFailure = failure;
            }
        }
        if (dirFailure != null) {
            for (Ready r : durable) {
                fail(r, dirFailure);
            }
            durable.clear();
        }
        durable.addAll(inline);
        if (durable.isEmpty()) {
            return;
        }
        List<FileTree.NewFile> files = new ArrayList<>(durable.size());
        for (Ready r : durable) {
            files.add(r.file());
        }
        List<FileTree.CommitResult> results;
        try {
            results = tree.commitFiles(files, UploadAdmission::placementRefusal, quotas);
        } catch (Exception e) {
            for (Ready r : durable) {
                fail(r, e);
            }
            return;
        }
        transactions.incrementAndGet();
        for (int i = 0; i < durable.size(); i++) {
            Ready r = durable.get(i);
            FileTree.CommitResult result = results.get(i);
            if (result instanceof FileTree.Commit commit) {
                if (commit.replacedBlobId().isPresent()) {
                    try {
                        blobs.delete(commit.replacedBlobId().get());
                    } catch (IOException e) {
                        // The start-up sweep removes it.
                        LOG.log(System.Logger.Level.WARNING, "could not delete replaced blob "
                                + commit.replacedBlobId().get(), e);
                    }
                }
                r.done().accept(new Outcome(commit, null));
            } else if (result instanceof FileTree.Refused refused) {
                fail(r, refused.reason());
            }
        }
    }

    private interface SyncWork {
        void run() throws IOException;
    }

    /** Runs {@code work} on the sync pool, or on this thread when {@code inline} or when the pool is stopping. */
    private Future<?> submitSync(boolean inline, SyncWork work) {
        Callable<Void> task = () -> {
            work.run();
            return null;
        };
        if (!inline) {
            try {
                return sync.submit(task);
            } catch (RejectedExecutionException e) {
                // stopping: run it here
            }
        }
        FutureTask<Void> now = new FutureTask<>(task);
        now.run();
        return now;
    }

    private static IOException outcome(Future<?> f) throws InterruptedException {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void fail(Ready r, Exception why) {
        discard(r.file(), why);
        r.done().accept(new Outcome(null, why));
    }

    /** The upload failed: nothing was visible; its blob and kept upload go. */
    private void discard(FileTree.NewFile file, Exception why) {
        try {
            blobs.delete(file.blobId());
            blobs.deletePartial(file.blobId());
            partials.delete(file.partialId());
        } catch (Exception e) {
            why.addSuppressed(e);
        }
    }

    /** How many uploads have been handed to {@link #commit} so far, committed or not yet. */
    public long handedOver() {
        return handedOver.get();
    }

    /**
     * How many metadata transactions have committed uploads so far (each holds one or more): with
     * group commit, many uploads finishing together need far fewer than one each.
     */
    public long transactions() {
        return transactions.get();
    }

    /**
     * Stops taking uploads and finishes those already handed over (up to about 10 seconds). Call
     * after the workers that call {@link #commit} have stopped, before the database closes.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            committer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.interrupt();
        sync.shutdown();
    }
}
