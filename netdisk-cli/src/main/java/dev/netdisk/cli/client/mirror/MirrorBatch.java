package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.ChecksumMismatchException;
import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Status;
import dev.netdisk.protocol.ProtocolException;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first phase of a recursive transfer: the files under {@link #STREAMED_MAX_BYTES} on one batch
 * data connection ({@link BatchConnection}), with no round trip per file. The caller's thread sends
 * the uploads (small ones read whole, bigger ones streamed) or asks for the downloads, while a
 * reader thread matches the answers to the files in order (and checks and writes a download's
 * bytes). Bigger files go to the per-file path, in parallel and resumable.
 *
 * <p>Threading: {@link #run} blocks until the reader is done; it uses the caller's client.
 */
final class MirrorBatch {

    /**
     * Files of this size or more go to the per-file path: several at once on parallel connections,
     * each resumable. Smaller ones, which a round trip per file would slow most, share the batch.
     */
    static final long STREAMED_MAX_BYTES = ProtocolLimits.BULK_MIN_BYTES;

    private final MirrorRun run;
    private final MirrorTally tally;

    MirrorBatch(MirrorRun run) {
        this.run = run;
        this.tally = run.tally();
    }

    /**
     * Moves what it can of {@code jobs} and returns the jobs left for the per-file path, sorted by
     * remote path: the files of {@link #STREAMED_MAX_BYTES} or more, and those a batch could not settle: an upload
     * the retry policy hands back ({@link MirrorRetry#batchHandsBack}); a download refused in any
     * way (the per-file path asks again and reports its own error) or with a kept {@code .part} to
     * resume; anything in flight when the connection broke. All of them when the server has no
     * {@code BATCH}.
     */
    List<MirrorJob> run(List<MirrorJob> jobs) throws IOException {
        if (jobs.stream().noneMatch(j -> j.size() < STREAMED_MAX_BYTES)) {
            return jobs;
        }
        Cancellation cancel = run.cancel();
        BatchConnection batch;
        try {
            batch = BatchConnection.open(run.main(), cancel);
        } catch (ReplyException | NetdiskConnectionException e) {
            // The ticket was refused at DATA, or no data connection: the per-file path tries each
            // file and reports its own failures.
            return jobs;
        }
        if (batch == null) {
            return jobs;
        }
        List<MirrorJob> rest = new ArrayList<>();
        BlockingQueue<MirrorJob> sent = new LinkedBlockingQueue<>();
        MirrorJob endOfBatch = new MirrorJob("", null, -1, null);
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> readAnswers(batch, sent, endOfBatch, rest, readFailure), "netdisk-batch-answers");
        reader.setDaemon(true);
        reader.start();
        try {
            for (MirrorJob job : jobs) {
                Entry there = job.existing();
                boolean batchable = job.size() < STREAMED_MAX_BYTES && !cancel.isCancelled() && readFailure.get() == null
                        && (run.uploading() ? there == null || !there.isDirectory() : !job.hasPart());
                if (!batchable) {
                    handBack(rest, job);
                    continue;
                }
                if (run.uploading()) {
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
            rest.sort(Comparator.comparing(MirrorJob::remote));
            return rest;
        }
    }

    /**
     * Sender: sends one file, unless it is identical there (skipped), cannot be read (failed) or
     * grew past the limit since the walk (to {@code rest}): a small one read whole, a bigger one
     * streamed. The job (with the size read) goes to {@code sent} before its bytes, so that the
     * reader hands it back if the connection breaks while it is sent.
     *
     * @throws IOException the connection is gone
     */
    private void sendUpload(BatchConnection batch, MirrorJob job, BlockingQueue<MirrorJob> sent, List<MirrorJob> rest)
            throws IOException {
        boolean overwrite = job.existing() != null;
        if (job.size() > batch.maxSize()) {
            if (settledHere(job, () -> SkipIdentical.there(job, run.cancel(), run.checksum()))) {
                return;
            }
            sent.add(job);
            batch.sendStreamed(job.remote(), job.local(), job.size(), overwrite);
            return;
        }
        BatchConnection.Content content;
        try {
            content = BatchConnection.Content.read(job.local());
        } catch (IOException e) {
            tally.attempted();
            tally.failed(job, e);
            return;
        }
        boolean identical;
        try {
            identical = SkipIdentical.there(job, content, run.checksum());
        } catch (IOException e) {
            tally.attempted();
            tally.failed(job, e);
            return;
        }
        if (identical) {
            tally.attempted();
            tally.skipped(job);
            return;
        }
        if (content.bytes().length > batch.maxSize()) {
            handBack(rest, job);
            return;
        }
        sent.add(job.withSize(content.bytes().length));
        batch.send(BatchConnection.uploadLine(job.remote(), content, overwrite, content.mtimeMillis()), content.bytes());
    }

    /**
     * Sender: asks for one file, unless a directory is in its way (failed) or the local file is
     * already identical (skipped). The job goes to {@code sent} before its line, as for an upload.
     *
     * @throws IOException the connection is gone
     */
    private void askDownload(BatchConnection batch, MirrorJob job, BlockingQueue<MirrorJob> sent) throws IOException {
        if (settledHere(job, () -> SkipIdentical.here(job, null, run.checksum()))) {
            return;
        }
        sent.add(job);
        batch.askDownload(job.remote());
    }

    /** Whether the other side already has a file, as far as the sender can tell; may read and hash it. */
    private interface Identical {
        boolean check() throws IOException;
    }

    /** Whether {@code job} is settled before it is sent: identical there (skipped), or unreadable (failed). */
    private boolean settledHere(MirrorJob job, Identical identical) {
        try {
            if (!identical.check()) {
                return false;
            }
            tally.attempted();
            tally.skipped(job);
        } catch (IOException e) {
            tally.attempted();
            tally.failed(job, e);
        }
        return true;
    }

    /** Leaves {@code job} to the per-file path (the sender and the reader both add to {@code rest}). */
    private static void handBack(List<MirrorJob> rest, MirrorJob job) {
        synchronized (rest) {
            rest.add(job);
        }
    }

    /**
     * Reader thread: matches each answer to the file sent, in order, until {@code end}; what is
     * left unanswered goes to {@code rest}.
     */
    private void readAnswers(BatchConnection batch, BlockingQueue<MirrorJob> sent, MirrorJob end, List<MirrorJob> rest,
                             AtomicReference<IOException> failure) {
        boolean uploading = run.uploading();
        try {
            MirrorJob job;
            while ((job = sent.take()) != end) {
                Reply answer = null;
                byte[] received = null;
                boolean mismatch = false;
                try {
                    if (failure.get() == null) {
                        answer = batch.next();
                        if (!uploading && answer.code() == 150) {
                            long size = answerSize(answer);
                            if (size <= batch.maxSize()) {
                                received = batch.readBytes((int) size);
                            } else {
                                try {
                                    batch.receiveStreamed(job.local(), size, answer);
                                } catch (ChecksumMismatchException e) {
                                    mismatch = true;
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    failure.set(e);
                    batch.close(); // the sender stops at its next write
                    answer = null;
                }
                if (answer == null || mismatch || (uploading ? MirrorRetry.batchHandsBack(answer) : answer.code() != 150)) {
                    handBack(rest, job);
                    continue;
                }
                if (!uploading && received != null) {
                    try {
                        BatchConnection.write(job.local(), received, answer);
                    } catch (ChecksumMismatchException e) {
                        // The per-file path asks once more, then reports it.
                        handBack(rest, job);
                        continue;
                    } catch (IOException e) {
                        tally.attempted();
                        tally.failed(job, e);
                        continue;
                    }
                }
                tally.attempted();
                if (uploading && answer.code() != 226) {
                    tally.failed(job, new ReplyException(answer.code(), answer.text()));
                    continue;
                }
                tally.moved(job.size());
                tally.finished(new FileOutcome(Status.TRANSFERRED, job.remote(), job.local(), job.size(), 0, null));
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

    /** The size of a download's {@code 150}; a size that cannot be followed breaks the stream. */
    private static long answerSize(Reply answer) throws ProtocolException {
        long size = answer.longParam("size");
        if (size < 0 || answer.params().containsKey("offset")) {
            throw new ProtocolException("protocol error: a batch download of " + size + " bytes: " + answer);
        }
        return size;
    }
}
