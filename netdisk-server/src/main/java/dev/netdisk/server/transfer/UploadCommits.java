package dev.netdisk.server.transfer;

import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The last step of an upload whose bytes are all in and verified: make them durable, then
 * visible, with <b>group commit</b>. Many small uploads finishing at once share the fsync rounds
 * and one SQLite transaction, instead of each paying for its own.
 *
 * <p>Per upload, on the sync pool (many at once, because the disk merges concurrent fsyncs into
 * one journal commit where a single thread would wait for each in turn): force the partial file,
 * close it and rename it into {@code blobs/}. Then, on the one committer thread, for every upload
 * that has reached that point: fsync each directory that received a blob once (in parallel),
 * then insert all their nodes in one transaction ({@link FileTree#commitFiles}, one savepoint
 * each, so one refusal does not fail the others). While a batch commits, the next one gathers.
 *
 * <p>The guarantee is the one of a single upload ({@code docs/ARCHITECTURE.md}, "The life of an
 * upload"): an upload's {@code done} runs only after its blob and its directory entry are durable
 * and the transaction that makes it visible has committed; a crash before leaves an unreferenced
 * blob that the start-up sweep removes.
 *
 * <p>Threading: {@link #commit} may be called from any thread and never blocks; {@code done} runs
 * on the committer thread or a sync thread, never on the selector thread, and must not block.
 */
public final class UploadCommits implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UploadCommits.class.getName());

    /** Threads that wait in fsync: I/O, not CPU, so more than the cores. */
    static final int SYNC_THREADS = 16;
    /** At most this many uploads in one transaction. */
    static final int MAX_BATCH = 256;

    /**
     * How an upload's commit ended: {@code commit} when it is visible, else the {@code failure}
     * (an {@link IOException} from the disk, or what {@link FileTree#commitFile} throws).
     */
    public record Outcome(FileTree.Commit commit, Exception failure) {
    }

    private record Durable(FileTree.NewFile file, Path directory, Consumer<Outcome> done) {
    }

    private final FileTree tree;
    private final BlobStore blobs;
    private final PartialUploads partials;
    private final ExecutorService sync;
    private final BlockingQueue<Durable> durable = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean stopping;

    public UploadCommits(FileTree tree, BlobStore blobs, PartialUploads partials) {
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
     * {@code channel} (the partial file, written to the end) and closes it. On a failure the blob
     * and the kept upload are deleted before {@code done} runs: nothing was visible.
     *
     * @throws RejectedExecutionException when the server is stopping ({@code channel} is left open
     *                                    and nothing was changed)
     */
    public void commit(FileTree.NewFile file, FileChannel channel, Consumer<Outcome> done) {
        if (stopping) {
            throw new RejectedExecutionException("stopping");
        }
        sync.execute(() -> {
            Path dir;
            try {
                try {
                    channel.force(true);
                } finally {
                    channel.close();
                }
                dir = blobs.moveIntoPlace(file.blobId());
            } catch (IOException | RuntimeException e) {
                discard(file, e);
                done.accept(new Outcome(null, e));
                return;
            }
            durable.add(new Durable(file, dir, done));
        });
    }

    private void run() {
        List<Durable> batch = new ArrayList<>();
        while (true) {
            try {
                Durable first = durable.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping && sync.isTerminated() && durable.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                durable.drainTo(batch, MAX_BATCH - 1);
                commitBatch(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "upload commit failed", e);
                for (Durable d : batch) {
                    d.done().accept(new Outcome(null, e));
                }
            } finally {
                batch.clear();
            }
        }
    }

    /** Committer thread: one directory fsync per directory, one transaction for all. */
    private void commitBatch(List<Durable> batch) throws InterruptedException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Durable d : batch) {
            dirs.add(d.directory());
        }
        IOException dirFailure = syncAll(dirs);
        if (dirFailure != null) {
            for (Durable d : batch) {
                discard(d.file(), dirFailure);
                d.done().accept(new Outcome(null, dirFailure));
            }
            return;
        }
        List<FileTree.NewFile> files = new ArrayList<>(batch.size());
        for (Durable d : batch) {
            files.add(d.file());
        }
        List<Object> results;
        try {
            results = tree.commitFiles(files);
        } catch (Exception e) {
            for (Durable d : batch) {
                discard(d.file(), e);
                d.done().accept(new Outcome(null, e));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Durable d = batch.get(i);
            Object result = results.get(i);
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
                d.done().accept(new Outcome(commit, null));
            } else {
                Exception failure = (Exception) result;
                discard(d.file(), failure);
                d.done().accept(new Outcome(null, failure));
            }
        }
    }

    /** Fsyncs the directories in parallel on the sync pool; the first failure, or null. */
    private IOException syncAll(Set<Path> dirs) throws InterruptedException {
        if (dirs.size() == 1) {
            try {
                BlobStore.syncDirectory(dirs.iterator().next());
                return null;
            } catch (IOException e) {
                return e;
            }
        }
        List<Future<?>> pending = new ArrayList<>(dirs.size());
        IOException failure = null;
        for (Path dir : dirs) {
            try {
                pending.add(sync.submit(() -> {
                    BlobStore.syncDirectory(dir);
                    return null;
                }));
            } catch (RejectedExecutionException e) {
                // Stopping: sync it here.
                try {
                    BlobStore.syncDirectory(dir);
                } catch (IOException io) {
                    failure = io;
                }
            }
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        return failure;
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

    /**
     * Stops taking uploads and finishes those already handed over (up to about 10 seconds). Call
     * after the workers that call {@link #commit} have stopped, before the database closes.
     */
    @Override
    public void close() {
        stopping = true;
        sync.shutdown();
        try {
            if (!sync.awaitTermination(10, TimeUnit.SECONDS)) {
                sync.shutdownNow();
            }
            committer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.interrupt();
    }
}
