package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.UploadStamps;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mirror-style recursive transfers: {@code upload -r} and {@code download -r} of a whole tree.
 *
 * <p>The target tree is made to hold every directory and file of the source tree: missing
 * directories are created (empty ones too), files already identical (same size and MD5) are
 * skipped, others are transferred (a different file in the target is replaced), each with the
 * single-file transfer's resume and MD5 check. Nothing in the target that the source lacks is
 * removed. The remote tree is read with {@code LS} (one per directory), whose entries carry size
 * and MD5, so telling identical files apart costs only hashing the local side, and only for
 * files of the same size.
 *
 * <p>A run has three steps, each its own class: the plan ({@link MirrorPlan}: walk, list, make
 * directories), the small files on one batch data connection ({@link MirrorBatch}), then the rest
 * on {@code parallel} workers, each with its own control connection ({@link MirrorWorkers}; worker
 * 0 uses the caller's client, the others are opened with {@link Connections#open()}, which for the
 * CLI logs in with the session's token). Whether a file is already identical is decided in one
 * place ({@link SkipIdentical}), what is retried in another ({@link MirrorRetry}); the counts are
 * kept by {@link MirrorTally}. A failed file does not stop the others; a broken connection is
 * reopened once, and when that fails the run stops taking new files.
 *
 * <p>Threading: {@link #upload} and {@link #download} block until every worker is done. The
 * {@link Listener} is called from the worker threads and must be thread-safe. Never prints.
 */
public final class RecursiveTransfer {

    /** Opens another control connection, logged in as the same user; the transfer closes it. */
    public interface Connections {
        NetdiskClient open() throws IOException;
    }

    /** Follows a recursive transfer; called from worker threads, so implementations must be thread-safe. */
    public interface Listener {
        /** The plan is made: {@code files} files of {@code bytes} bytes in all will be looked at. */
        default void planned(int files, long bytes) {
        }

        /** Bytes moved on the network (a delta, from any worker). */
        default void transferred(long delta) {
        }

        /** A directory could not be made or read (its files fail on their own, and are reported then). */
        default void directoryFailed(FileOutcome outcome) {
        }

        /** A local path left out of an upload: a symbolic link not followed, a dangling link, not a regular file. */
        default void skipped(Path path, String why) {
        }

        /** One file is done: transferred, skipped as identical, or failed. */
        default void finished(FileOutcome outcome) {
        }

        /** A line for the user about one file (a resume that starts over because the local file changed). */
        default void notice(Path localPath, String line) {
        }
    }

    /** What happened to one file. */
    public enum Status { TRANSFERRED, SKIPPED, FAILED }

    /**
     * One file's outcome.
     *
     * @param remotePath the absolute remote path
     * @param localPath  the local file
     * @param size       the file's size in bytes
     * @param resumedAt  where a resumed transfer started (0 if it did not resume)
     * @param failure    why it failed, or {@code null}
     */
    public record FileOutcome(Status status, String remotePath, Path localPath, long size, long resumedAt,
                              IOException failure) {
    }

    /**
     * The whole run.
     *
     * @param failures     the failed files, sorted by remote path
     * @param notAttempted files left untouched because the run stopped (cancelled, or no connection)
     * @param stoppedBy    why the run stopped early, or {@code null}
     * @param directoriesFailed how many of {@code failures} are directories that could not be made
     *                          or read (their files, if any, fail on their own as well)
     */
    public record Summary(int files, int transferred, int skipped, List<FileOutcome> failures, int notAttempted,
                          int directoriesCreated, long bytesTransferred, Duration elapsed, String remoteRoot,
                          Path localRoot, IOException stoppedBy, int directoriesFailed) {

        /** The files that failed, out of {@link #files}: transferred + skipped + failed + not attempted = files. */
        public int failed() {
            return failures.size() - directoriesFailed;
        }
    }

    private final MirrorRun run;

    private RecursiveTransfer(NetdiskClient main, Connections connections, int parallel, Cancellation cancel,
                              Listener listener, boolean uploading, boolean checksum, UploadStamps stamps) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1: " + parallel);
        }
        this.run = new MirrorRun(main, connections, parallel, cancel == null ? new Cancellation() : cancel, uploading,
                checksum, stamps, new MirrorTally(listener));
    }

    /**
     * Makes the remote directory {@code remoteDir} a mirror of the local directory {@code localDir}.
     *
     * @param remoteDir the remote directory that mirrors {@code localDir}, created if missing
     * @throws NoSuchFileException / NotDirectoryException if {@code localDir} is not a directory
     * @throws ReplyException if {@code remoteDir} cannot be made or listed (nothing was transferred)
     */
    public static Summary upload(NetdiskClient main, Connections connections, Path localDir, String remoteDir,
                                 int parallel, Cancellation cancel, Listener listener) throws IOException {
        return upload(main, connections, localDir, remoteDir, parallel, false, cancel, listener);
    }

    /**
     * {@link #upload(NetdiskClient, Connections, Path, String, int, Cancellation, Listener)}, following
     * symbolic links when {@code followLinks} ({@code -L}); links left out go to {@link Listener#skipped}.
     */
    public static Summary upload(NetdiskClient main, Connections connections, Path localDir, String remoteDir,
                                 int parallel, boolean followLinks, Cancellation cancel, Listener listener)
            throws IOException {
        return upload(main, connections, localDir, remoteDir, parallel, followLinks, false, null, cancel, listener);
    }

    /**
     * {@link #upload(NetdiskClient, Connections, Path, String, int, boolean, Cancellation, Listener)};
     * with {@code checksum} a file of the same size is compared by MD5 even when its time matches
     * ({@code --checksum}; {@link SkipIdentical}).
     *
     * @param stamps where a file sent on its own (over 1 MiB) records the local file's size and
     *               time while it is sent, so that a resume of a changed file starts over
     *               ({@link dev.netdisk.cli.client.TransferOptions#withStamps}); or {@code null}
     */
    public static Summary upload(NetdiskClient main, Connections connections, Path localDir, String remoteDir,
                                 int parallel, boolean followLinks, boolean checksum, UploadStamps stamps,
                                 Cancellation cancel, Listener listener) throws IOException {
        RecursiveTransfer t = new RecursiveTransfer(main, connections, parallel, cancel, listener, true, checksum,
                stamps);
        long start = System.nanoTime();
        return t.run(MirrorPlan.upload(main, localDir, remoteDir, followLinks, t.run.tally()), start);
    }

    /**
     * Makes the local directory {@code localDir} a mirror of the remote directory {@code remoteDir}.
     *
     * @param localDir the local directory that mirrors {@code remoteDir}, created if missing
     * @throws ReplyException 550 if {@code remoteDir} is missing, or is a file
     */
    public static Summary download(NetdiskClient main, Connections connections, String remoteDir, Path localDir,
                                   int parallel, Cancellation cancel, Listener listener) throws IOException {
        return download(main, connections, remoteDir, localDir, parallel, false, cancel, listener);
    }

    /** {@link #download(NetdiskClient, Connections, String, Path, int, Cancellation, Listener)}, with {@code checksum} as for upload. */
    public static Summary download(NetdiskClient main, Connections connections, String remoteDir, Path localDir,
                                   int parallel, boolean checksum, Cancellation cancel, Listener listener)
            throws IOException {
        RecursiveTransfer t = new RecursiveTransfer(main, connections, parallel, cancel, listener, false, checksum,
                null);
        long start = System.nanoTime();
        return t.run(MirrorPlan.download(main, remoteDir, localDir, t.run.tally()), start);
    }

    /** Moves the planned files: the small ones in a batch, the rest on the workers. */
    private Summary run(MirrorPlan plan, long start) throws IOException {
        List<MirrorJob> jobs = new ArrayList<>(plan.jobs());
        jobs.sort(Comparator.comparing(MirrorJob::remote));
        MirrorTally tally = run.tally();
        tally.planned(jobs.size(), jobs.stream().mapToLong(MirrorJob::size).sum());
        List<MirrorJob> rest = new MirrorBatch(run).run(jobs);
        if (!rest.isEmpty() && !run.cancel().isCancelled()) {
            new MirrorWorkers(run).run(rest);
        }
        return tally.summary(jobs.size(), plan.created(), start, plan.remoteRoot(), plan.localRoot(),
                run.cancel().isCancelled());
    }
}
