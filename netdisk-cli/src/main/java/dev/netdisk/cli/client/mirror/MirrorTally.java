package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Listener;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Status;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one recursive transfer has done so far: files transferred, skipped and failed, bytes
 * moved, why the run stopped; every outcome also goes to the caller's {@link Listener}.
 *
 * <p>Thread-safe: the planner, the batch sender and reader and the workers all
 * report here.
 */
final class MirrorTally {

    private final Listener listener;
    private final AtomicInteger transferred = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final List<FileOutcome> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger directoriesFailed = new AtomicInteger();
    private final AtomicReference<IOException> stoppedBy = new AtomicReference<>();
    private final AtomicReference<IOException> openFailure = new AtomicReference<>();

    MirrorTally(Listener listener) {
        this.listener = listener == null ? new Listener() {
        } : listener;
    }

    void planned(int files, long totalBytes) {
        listener.planned(files, totalBytes);
    }

    /** A file is taken on: it counts as attempted even if it fails. */
    void attempted() {
        attempted.incrementAndGet();
    }

    /** A file taken on goes back untouched (cancelled, or left for another worker). */
    void unattempted() {
        attempted.decrementAndGet();
    }

    /** {@code delta} bytes moved on the network. */
    void moved(long delta) {
        bytes.addAndGet(delta);
        listener.transferred(delta);
    }

    /** A file is done: transferred or skipped as identical. */
    void finished(FileOutcome outcome) {
        if (outcome.status() == Status.SKIPPED) {
            skipped.incrementAndGet();
        } else {
            transferred.incrementAndGet();
        }
        listener.finished(outcome);
    }

    void skipped(MirrorJob job) {
        finished(new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null));
    }

    void failed(MirrorJob job, IOException e) {
        FileOutcome outcome = new FileOutcome(Status.FAILED, job.remote(), job.local(), job.size(), 0, e);
        failures.add(outcome);
        listener.finished(outcome);
    }

    /** A local path the walk left out (a symbolic link not followed, ...): said, not counted as a failure. */
    void skippedLocal(java.nio.file.Path path, String why) {
        listener.skipped(path, why);
    }

    void directoryFailed(FileOutcome outcome) {
        failures.add(outcome);
        directoriesFailed.incrementAndGet();  // not a file: Summary.failed() must not count it
        listener.directoryFailed(outcome);
    }

    /** The run takes no new files after this (the first reason is kept). */
    void stop(IOException reason) {
        stoppedBy.compareAndSet(null, reason);
    }

    boolean stopped() {
        return stoppedBy.get() != null;
    }

    /** A worker could not open its connection; reported only if files were left over because of it. */
    void openFailed(IOException e) {
        openFailure.compareAndSet(null, e);
    }

    Summary summary(int files, int created, long start, String remoteRoot, Path localRoot, boolean cancelled) {
        List<FileOutcome> failed = new ArrayList<>(failures);
        failed.sort(Comparator.comparing(o -> o.remotePath() == null ? "" : o.remotePath()));
        int notAttempted = files - attempted.get();
        IOException stop = stoppedBy.get();
        if (stop == null && cancelled && notAttempted > 0) {
            stop = new TransferCancelledException("cancelled");
        }
        if (stop == null && notAttempted > 0) {
            stop = openFailure.get();  // the last workers could not connect after the first one ran out of files
        }
        return new Summary(files, transferred.get(), skipped.get(), List.copyOf(failed), notAttempted, created,
                bytes.get(), Duration.ofNanos(System.nanoTime() - start), remoteRoot, localRoot, stop,
                directoriesFailed.get());
    }

    /** A line for the user about one file, passed on. */
    void notice(Path localPath, String line) {
        listener.notice(localPath, line);
    }
}
