package dev.netdisk.cli.client;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolException;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>Parallelism: {@code parallel} workers take files from one queue. Each worker uses its own
 * control connection: the server runs the commands of one connection one at a time, so N workers
 * on one connection would queue behind each other's ticket requests. Worker 0 uses the caller's
 * client (idle once the plan is made); the others are opened with {@link Connections#open()},
 * which for the CLI logs in with the session's token. A failed file does not stop the others;
 * a broken connection is reopened once, and when that fails the run stops taking new files.
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

        /** One file is done: transferred, skipped as identical, or failed. */
        default void finished(FileOutcome outcome) {
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
     */
    public record Summary(int files, int transferred, int skipped, List<FileOutcome> failures, int notAttempted,
                          int directoriesCreated, long bytesTransferred, Duration elapsed, String remoteRoot,
                          Path localRoot, IOException stoppedBy) {

        public int failed() {
            return failures.size();
        }
    }

    /** Where a file goes and what the other side already has there. */
    private record Job(String remote, Path local, long size, Entry existing) {
    }

    /** Transient refusals (450 busy, 425 ticket expired meanwhile) are retried this many times. */
    private static final int RETRIES = 3;

    /**
     * Small files in flight per control connection: their requests are pipelined and their data
     * connections run at once. With the default 4 connections that is 16 transfers, the server's
     * default limit of transfers per user.
     */
    static final int WINDOW = 4;

    private final NetdiskClient main;
    private final Connections connections;
    private final int parallel;
    private final Cancellation cancel;
    private final Listener listener;
    private final boolean uploading;

    private final AtomicInteger transferred = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final List<FileOutcome> failures = new CopyOnWriteArrayList<>();
    private final AtomicReference<IOException> stoppedBy = new AtomicReference<>();
    private final AtomicReference<IOException> openFailure = new AtomicReference<>();
    private final List<Cancellation> workerCancels = new CopyOnWriteArrayList<>();
    /** Runs the data connections of small files, {@link #WINDOW} per control connection. */
    private ExecutorService dataPool;
    /** The small files' data connections, kept from one file to the next. */
    private SmallTransfers small;

    private RecursiveTransfer(NetdiskClient main, Connections connections, int parallel, Cancellation cancel,
                              Listener listener, boolean uploading) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1: " + parallel);
        }
        this.main = main;
        this.connections = connections;
        this.parallel = parallel;
        this.cancel = cancel == null ? new Cancellation() : cancel;
        this.listener = listener == null ? new Listener() {
        } : listener;
        this.uploading = uploading;
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
        return new RecursiveTransfer(main, connections, parallel, cancel, listener, true).upload(localDir, remoteDir);
    }

    /**
     * Makes the local directory {@code localDir} a mirror of the remote directory {@code remoteDir}.
     *
     * @param localDir the local directory that mirrors {@code remoteDir}, created if missing
     * @throws ReplyException 550 if {@code remoteDir} is missing, or is a file
     */
    public static Summary download(NetdiskClient main, Connections connections, String remoteDir, Path localDir,
                                   int parallel, Cancellation cancel, Listener listener) throws IOException {
        return new RecursiveTransfer(main, connections, parallel, cancel, listener, false).download(remoteDir, localDir);
    }

    private Summary upload(Path localDir, String remoteDir) throws IOException {
        long start = System.nanoTime();
        Path root = localDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw Files.exists(root) ? new NotDirectoryException(root.toString()) : new NoSuchFileException(root.toString());
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    dirs.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // A symbolic link to a file is sent as that file; links to directories are not followed.
                if (attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                directoryFailed(new FileOutcome(Status.FAILED, null, file, 0, 0, e));
                return FileVisitResult.CONTINUE;
            }
        });
        String remoteRoot = main.makedir(remoteDir, true);
        Map<String, Entry> remote = remoteTree(remoteRoot);

        int created = 0;
        for (Path dir : dirs) {
            String rel = relative(root, dir);
            Entry there = remote.get(rel);
            if (there != null && there.isDirectory()) {
                continue;
            }
            // A file where the directory should be fails here, and every file below it fails on its own.
            try {
                main.makedir(RemotePath.join(remoteRoot, rel), true);
                created++;
            } catch (ReplyException e) {
                directoryFailed(new FileOutcome(Status.FAILED, RemotePath.join(remoteRoot, rel), dir, 0, 0, e));
            }
        }
        List<Job> jobs = new ArrayList<>(files.size());
        for (Path file : files) {
            String rel = relative(root, file);
            jobs.add(new Job(RemotePath.join(remoteRoot, rel), file, Files.size(file), remote.get(rel)));
        }
        run(jobs);
        return summary(jobs.size(), created, start, remoteRoot, root);
    }

    private Summary download(String remoteDir, Path localDir) throws IOException {
        long start = System.nanoTime();
        String remoteRoot = RemotePath.normalize(remoteDir.startsWith("/") ? remoteDir : RemotePath.join(main.cwd(), remoteDir));
        if (!main.stat(remoteRoot).isDirectory()) {
            throw new ReplyException(550, "not a directory: " + remoteRoot + " (download without -r takes one file)");
        }
        Map<String, Entry> remote = remoteTree(remoteRoot);
        Path root = localDir.toAbsolutePath().normalize();
        int created = 0;
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            created++;
        }
        List<Job> jobs = new ArrayList<>();
        for (Map.Entry<String, Entry> e : remote.entrySet()) {
            String rel = e.getKey();
            Path local = root.resolve(rel);
            String remotePath = RemotePath.join(remoteRoot, rel);
            if (e.getValue().isDirectory()) {
                if (!Files.isDirectory(local)) {
                    try {
                        Files.createDirectories(local);
                        created++;
                    } catch (IOException ex) {
                        directoryFailed(new FileOutcome(Status.FAILED, remotePath, local, 0, 0, ex));
                    }
                }
            } else {
                jobs.add(new Job(remotePath, local, e.getValue().size(), e.getValue()));
            }
        }
        run(jobs);
        return summary(jobs.size(), created, start, remoteRoot, root);
    }

    /** Every entry under {@code root}, keyed by its path relative to it, parents before children. */
    private Map<String, Entry> remoteTree(String root) throws IOException {
        Map<String, Entry> tree = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.add("");
        while (!pending.isEmpty()) {
            String rel = pending.poll();
            for (Entry e : main.ls(rel.isEmpty() ? root : RemotePath.join(root, rel))) {
                String child = rel.isEmpty() ? e.name() : rel + "/" + e.name();
                tree.put(child, e);
                if (e.isDirectory()) {
                    pending.add(child);
                }
            }
        }
        return tree;
    }

    private void run(List<Job> jobs) throws IOException {
        jobs.sort(Comparator.comparing(Job::remote));
        long total = jobs.stream().mapToLong(Job::size).sum();
        listener.planned(jobs.size(), total);
        jobs = batch(jobs);
        if (jobs.isEmpty() || cancel.isCancelled()) {
            return;
        }
        ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>(jobs);
        // A cancel of the caller's handle cancels every worker's transfer at once.
        cancel.attach(() -> workerCancels.forEach(Cancellation::cancel));
        int workers = Math.min(parallel, Math.max(1, jobs.size()));
        AtomicInteger dataThreads = new AtomicInteger();
        small = new SmallTransfers(main.host(), main.port());
        dataPool = Executors.newFixedThreadPool(workers * WINDOW, r -> {
            Thread t = new Thread(r, "netdisk-data-" + dataThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int index = i;
            Thread t = new Thread(() -> work(index, queue), "netdisk-" + (uploading ? "upload" : "download") + "-" + i);
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

    /**
     * Moves the small files of {@code jobs} on one batch data connection ({@link BatchConnection}):
     * this thread sends the uploads (read back to back) or asks for the downloads, while another
     * reads the answers (and a download's bytes, which it checks and writes). Returns the jobs
     * left for the per-file path: the files too big for a batch, and those a batch could not
     * settle: an upload refused for now with {@code 450} or {@code 421}, changed while read
     * ({@code 554}), or one that appeared meanwhile ({@code 521}, replaced there); a download
     * refused in any way (the per-file path asks again and reports its own error) or with a kept
     * {@code .part} to resume; anything in flight when the connection broke. All of them when the
     * server has no {@code BATCH}.
     */
    private List<Job> batch(List<Job> jobs) throws IOException {
        if (jobs.stream().noneMatch(j -> j.size() <= ProtocolLimits.SMALL_FILE_BYTES)) {
            return jobs;
        }
        BatchConnection batch;
        try {
            batch = BatchConnection.open(main, cancel);
        } catch (ReplyException | NetdiskConnectionException e) {
            // The ticket was refused at DATA, or no data connection: the per-file path tries each
            // file and reports its own failures.
            return jobs;
        }
        if (batch == null) {
            return jobs;
        }
        List<Job> rest = new ArrayList<>();
        BlockingQueue<Job> sent = new LinkedBlockingQueue<>();
        Job endOfBatch = new Job("", null, -1, null);
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> readAnswers(batch, sent, endOfBatch, rest, readFailure), "netdisk-batch-answers");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Job job : jobs) {
                Entry there = job.existing();
                boolean batchable = job.size() <= batch.maxSize() && !cancel.isCancelled() && readFailure.get() == null
                        && (uploading ? there == null || !there.isDirectory() : !hasPart(job));
                if (!batchable) {
                    handBack(rest, job);
                    continue;
                }
                if (uploading) {
                    sendUpload(batch, job, sent, rest);
                } else {
                    askDownload(batch, job, sent);
                }
            }
            batch.end();
        } catch (IOException e) {
            // The connection broke: the reader hands back what was not answered.
            batch.close();
        } finally {
            sent.add(endOfBatch);
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel.cancel();
            } finally {
                batch.close();
                cancel.detach();
            }
        }
        synchronized (rest) {
            rest.sort(Comparator.comparing(Job::remote));
            return rest;
        }
    }

    /**
     * Batch sender: reads one file and sends it, unless it is identical there (skipped), cannot be
     * read (failed) or grew past the limit since the walk (to {@code rest}). The job (with the
     * size read) goes to {@code sent} before its bytes, so that the reader hands it back if the
     * connection breaks while it is sent.
     *
     * @throws IOException the connection is gone
     */
    private void sendUpload(BatchConnection batch, Job job, BlockingQueue<Job> sent, List<Job> rest)
            throws IOException {
        Entry there = job.existing();
        SmallTransfers.Content content;
        try {
            content = SmallTransfers.Content.read(job.local());
        } catch (IOException e) {
            attempted.incrementAndGet();
            failed(job, e);
            return;
        }
        if (there != null && there.size() == content.bytes().length && content.md5().equals(there.md5())) {
            attempted.incrementAndGet();
            finish(new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null), job);
            return;
        }
        if (content.bytes().length > batch.maxSize()) {
            handBack(rest, job);
            return;
        }
        sent.add(new Job(job.remote(), job.local(), content.bytes().length, job.existing()));
        batch.send(SmallTransfers.uploadLine(job.remote(), content, there != null), content.bytes());
    }

    /**
     * Batch sender: asks for one file, unless a directory is in its way (failed) or the local file
     * is already identical (skipped). The job goes to {@code sent} before its line, as for an upload.
     *
     * @throws IOException the connection is gone
     */
    private void askDownload(BatchConnection batch, Job job, BlockingQueue<Job> sent) throws IOException {
        try {
            if (identicalHere(job, null)) {
                attempted.incrementAndGet();
                finish(new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null), job);
                return;
            }
        } catch (IOException e) {
            attempted.incrementAndGet();
            failed(job, e);
            return;
        }
        sent.add(job);
        batch.askDownload(job.remote());
    }

    /** Leaves {@code job} to the per-file path (the sender and the reader both add to {@code rest}). */
    private static void handBack(List<Job> rest, Job job) {
        synchronized (rest) {
            rest.add(job);
        }
    }

    /** Whether a download's kept {@code NAME.part} is there: it resumes on the single-file path. */
    private static boolean hasPart(Job job) {
        return Files.exists(job.local().resolveSibling(job.local().getFileName() + ".part"));
    }

    /**
     * Whether the local file of a download already has the remote file's size and MD5.
     *
     * @throws FileAlreadyExistsException a directory is where the file would go
     */
    private static boolean identicalHere(Job job, Cancellation cancel) throws IOException {
        if (Files.isDirectory(job.local())) {
            throw new FileAlreadyExistsException(job.local().toString(), null, "a directory is in the way");
        }
        return Files.isRegularFile(job.local()) && Files.size(job.local()) == job.size()
                && job.existing().md5() != null && job.existing().md5().equals(md5(job.local(), cancel));
    }

    /**
     * Batch reader thread: matches each answer to the file sent, in order, until {@code end};
     * what is left unanswered goes to {@code rest}.
     */
    private void readAnswers(BatchConnection batch, BlockingQueue<Job> sent, Job end, List<Job> rest,
                             AtomicReference<IOException> failure) {
        try {
            Job job;
            while ((job = sent.take()) != end) {
                Reply answer = null;
                byte[] received = null;
                try {
                    if (failure.get() == null) {
                        answer = batch.next();
                        if (!uploading && answer.code() == 150) {
                            received = batch.readBytes(answerSize(answer, batch.maxSize()));
                        }
                    }
                } catch (IOException e) {
                    failure.set(e);
                    batch.close(); // the sender stops at its next write
                    answer = null;
                }
                if (answer == null || (uploading ? isTransient(answer) : answer.code() != 150)) {
                    handBack(rest, job);
                    continue;
                }
                if (!uploading) {
                    try {
                        SmallTransfers.write(job.local(), received, answer.param("md5"));
                    } catch (ChecksumMismatchException e) {
                        // The per-file path asks once more, then reports it.
                        handBack(rest, job);
                        continue;
                    } catch (IOException e) {
                        attempted.incrementAndGet();
                        failed(job, e);
                        continue;
                    }
                }
                attempted.incrementAndGet();
                if (uploading && answer.code() != 226) {
                    failed(job, new ReplyException(answer.code(), answer.text()));
                    continue;
                }
                bytes.addAndGet(job.size());
                listener.transferred(job.size());
                finish(new FileOutcome(Status.TRANSFERRED, job.remote(), job.local(), job.size(), 0, null), job);
            }
            if (failure.get() == null) {
                batch.next(); // 221: every file was answered
            }
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An upload's answer that the per-file path may settle: refused for now, or a race it handles. */
    private static boolean isTransient(Reply answer) {
        int code = answer.code();
        return code == 450 || code == 421 || code == 521 || code == 554;
    }

    /** The size of a download's {@code 150}; a size the batch cannot carry breaks the stream. */
    private static int answerSize(Reply answer, long maxSize) throws ProtocolException {
        long size = answer.longParam("size");
        if (size < 0 || size > maxSize) {
            throw new ProtocolException("protocol error: a batch download of " + size + " bytes: " + answer);
        }
        return (int) size;
    }

    private void work(int index, ConcurrentLinkedQueue<Job> queue) {
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
            Job job;
            while (stoppedBy.get() == null && !cancel.isCancelled() && (job = queue.poll()) != null) {
                attempted.incrementAndGet();
                try {
                    if (client == null || !client.isConnected()) {
                        // The files in flight may still use the old connection for a retry: let them end.
                        drain(window);
                        if (client != null && client != main) {
                            client.close();
                        }
                        client = null;
                        try {
                            client = connections.open();
                        } catch (IOException e) {
                            if (index == 0) {
                                throw e;
                            }
                            // One worker fewer (the server may refuse more sessions): the others carry on.
                            queue.add(job);
                            attempted.decrementAndGet();
                            openFailure.compareAndSet(null, e);
                            return;
                        }
                    }
                    if (small(job)) {
                        pipelined(client, job, queue, window);
                    } else {
                        finish(transfer(client, job, mine), job);
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
                            client = connections.open();
                            finish(transfer(client, job, mine), job);
                            continue;
                        } catch (NetdiskConnectionException again) {
                            e = again;
                        } catch (IOException other) {
                            failed(job, other);
                            continue;
                        }
                    }
                    failed(job, e);
                    stoppedBy.compareAndSet(null, e);
                } catch (TransferCancelledException e) {
                    attempted.decrementAndGet();
                    cancel.cancel();
                } catch (IOException e) {
                    failed(job, e);
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
    private boolean small(Job job) {
        if (uploading) {
            return job.size() <= ProtocolLimits.CHUNK_BYTES && (job.existing() == null || !job.existing().isDirectory());
        }
        // A kept .part resumes on the single-file path.
        return job.size() <= ProtocolLimits.CHUNK_BYTES && !hasPart(job);
    }

    /**
     * Small files: takes {@code first} and as many more small files as the window has room for,
     * sends their UPLOAD or DOWNLOAD requests pipelined (one write, one round trip), and starts
     * each file's data connection on the data pool without waiting for it. Returns once the
     * requests are answered; a file that has nothing to move (identical) is finished here.
     */
    private void pipelined(NetdiskClient client, Job first, ConcurrentLinkedQueue<Job> queue, Semaphore window)
            throws IOException {
        acquire(window);
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        while (batch.size() < WINDOW && window.tryAcquire()) {
            Job next = stoppedBy.get() == null && !cancel.isCancelled() ? queue.poll() : null;
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
            attempted.incrementAndGet();
            batch.add(next);
        }
        List<Job> sending = new ArrayList<>();
        List<SmallTransfers.Content> contents = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Job job : batch) {
            try {
                if (uploading) {
                    SmallTransfers.Content content = SmallTransfers.Content.read(job.local());
                    Entry there = job.existing();
                    if (there != null && there.size() == content.bytes().length && content.md5().equals(there.md5())) {
                        window.release();
                        finish(new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null), job);
                        continue;
                    }
                    contents.add(content);
                    lines.add(SmallTransfers.uploadLine(job.remote(), content, there != null));
                } else {
                    if (identicalHere(job, null)) {
                        window.release();
                        finish(new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null), job);
                        continue;
                    }
                    contents.add(null);
                    lines.add(SmallTransfers.downloadLine(job.remote()));
                }
                sending.add(job);
            } catch (IOException e) {
                window.release();
                failed(job, e);
            }
        }
        List<Reply> replies;
        try {
            replies = client.requestAll(lines);
        } catch (IOException e) {
            window.release(sending.size());
            // The first file is retried by the caller on a fresh connection; the others fail with it.
            for (Job job : sending) {
                if (job != first) {
                    failed(job, e);
                }
            }
            if (sending.contains(first)) {
                throw e;
            }
            return;
        }
        for (int i = 0; i < sending.size(); i++) {
            Job job = sending.get(i);
            SmallTransfers.Content content = contents.get(i);
            Reply reply = replies.get(i);
            NetdiskClient control = client;
            Cancellation own = new Cancellation();
            workerCancels.add(own);
            if (cancel.isCancelled()) {
                own.cancel();
            }
            try {
                dataPool.execute(() -> {
                    try {
                        finish(sendSmall(control, job, content, reply, own), job);
                    } catch (TransferCancelledException e) {
                        attempted.decrementAndGet();
                        cancel.cancel();
                    } catch (IOException e) {
                        failed(job, e);
                    } finally {
                        workerCancels.remove(own);
                        window.release();
                    }
                });
            } catch (RuntimeException e) {
                workerCancels.remove(own);
                window.release();
                failed(job, new IOException("cannot start the transfer: " + e, e));
            }
        }
    }

    /** Data pool: one small file's bytes; on a transient refusal or a mismatch, the single-file path retries it. */
    private FileOutcome sendSmall(NetdiskClient control, Job job, SmallTransfers.Content content, Reply reply,
                                  Cancellation own) throws IOException {
        try {
            if (reply.code() != 350) {
                throw new ReplyException(reply.code(), reply.text());
            }
            TransferResult r = uploading
                    ? small.upload(job.local(), job.remote(), content, reply, own)
                    : small.download(job.remote(), job.local(), reply, own);
            long moved = r.size() - r.offset();
            bytes.addAndGet(moved);
            listener.transferred(moved);
            return new FileOutcome(Status.TRANSFERRED, job.remote(), job.local(), r.size(), r.offset(), null);
        } catch (ReplyException e) {
            boolean appeared = uploading && e.code() == 521;
            if (!(e.code() == 450 || e.code() == 425 || appeared) || cancel.isCancelled()) {
                throw e;
            }
        } catch (ChecksumMismatchException e) {
            if (cancel.isCancelled()) {
                throw e;
            }
        }
        // The single-file path, with its pauses and retries, on the same control connection.
        return transfer(control, job, own);
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

    private void finish(FileOutcome outcome, Job job) {
        if (outcome.status() == Status.SKIPPED) {
            skipped.incrementAndGet();
        } else {
            transferred.incrementAndGet();
        }
        listener.finished(outcome);
    }

    private void directoryFailed(FileOutcome outcome) {
        failures.add(outcome);
        listener.directoryFailed(outcome);
    }

    private void failed(Job job, IOException e) {
        FileOutcome outcome = new FileOutcome(Status.FAILED, job.remote(), job.local(), job.size(), 0, e);
        failures.add(outcome);
        listener.finished(outcome);
    }

    private FileOutcome transfer(NetdiskClient client, Job job, Cancellation mine) throws IOException {
        if (uploading) {
            Entry there = job.existing();
            if (there != null && there.isDirectory()) {
                throw new ReplyException(550, "is a directory: " + job.remote());
            }
            if (there != null && there.size() == job.size() && there.md5() != null
                    && there.md5().equals(md5(job.local(), mine))) {
                return new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null);
            }
        } else {
            if (identicalHere(job, mine)) {
                return new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null);
            }
        }
        TransferOptions options = TransferOptions.DEFAULTS.withOverwrite(true).withCancellation(mine);
        boolean mismatchRetried = false;
        boolean overwrite = job.existing() != null;
        for (int attempt = 0; ; attempt++) {
            long[] last = {0};
            TransferListener counting = new TransferListener() {
                @Override
                public void started(String remotePath, long offset, long size) {
                    last[0] = offset;
                }

                @Override
                public void progress(long position) {
                    long delta = position - last[0];
                    last[0] = position;
                    bytes.addAndGet(delta);
                    listener.transferred(delta);
                }
            };
            try {
                TransferResult r = uploading
                        ? client.uploadExact(job.local(), job.remote(), options.withOverwrite(overwrite), counting)
                        : client.download(job.remote(), job.local(), options, counting);
                return new FileOutcome(Status.TRANSFERRED, job.remote(), job.local(), r.size(), r.offset(), null);
            } catch (ReplyException e) {
                if (uploading && e.code() == 521 && !overwrite && !cancel.isCancelled()) {
                    // A file appeared there since the listing (an earlier, cancelled run's upload
                    // that the server committed after all): a mirror replaces it.
                    overwrite = true;
                    continue;
                }
                if (!(e.code() == 450 || e.code() == 425) || attempt >= RETRIES || cancel.isCancelled()) {
                    throw e;
                }
                sleep(250L << attempt);
            } catch (ChecksumMismatchException e) {
                // Most likely a kept partial of an older version (the library has discarded it) or a
                // file changed while it was read: one fresh attempt, then the failure stands.
                if (mismatchRetried || cancel.isCancelled()) {
                    throw e;
                }
                mismatchRetried = true;
            } finally {
                if (cancel.isCancelled()) {
                    mine.cancel();
                } else {
                    mine.reset();
                }
            }
        }
    }

    private static String md5(Path file, Cancellation cancel) throws IOException {
        MessageDigest digest = Md5.newDigest();
        HashingCopy.hashFile(digest, file, Files.size(file), done -> { }, cancel);
        return Md5.hex(digest);
    }

    private static void sleep(long millis) throws TransferCancelledException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferCancelledException("interrupted");
        }
    }

    private Summary summary(int files, int created, long start, String remoteRoot, Path localRoot) {
        List<FileOutcome> failed = new ArrayList<>(failures);
        failed.sort(Comparator.comparing(o -> o.remotePath() == null ? "" : o.remotePath()));
        int notAttempted = files - attempted.get();
        IOException stop = stoppedBy.get();
        if (stop == null && cancel.isCancelled() && notAttempted > 0) {
            stop = new TransferCancelledException("cancelled");
        }
        if (stop == null && notAttempted > 0) {
            stop = openFailure.get();  // the last workers could not connect after the first one ran out of files
        }
        return new Summary(files, transferred.get(), skipped.get(), List.copyOf(failed), notAttempted, created,
                bytes.get(), Duration.ofNanos(System.nanoTime() - start), remoteRoot, localRoot, stop);
    }

    /** The remote form of a local path below {@code root}: {@code /}-separated, in Unicode NFC as the server stores names. */
    private static String relative(Path root, Path p) {
        List<String> parts = new ArrayList<>();
        for (Path part : root.relativize(p)) {
            parts.add(Normalizer.normalize(part.toString(), Normalizer.Form.NFC));
        }
        return String.join("/", parts);
    }

}
