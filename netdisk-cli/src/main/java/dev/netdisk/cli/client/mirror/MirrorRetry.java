package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.ChecksumMismatchException;
import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.client.TransferListener;
import dev.netdisk.cli.client.TransferOptions;
import dev.netdisk.cli.client.TransferResult;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Status;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;

/**
 * The retry policy of a recursive transfer, and the single-file path it governs: which refusals
 * are tried again, how often, after what pause, and which answers of the batch send a file back
 * to the single-file path.
 *
 * <ul>
 *   <li>{@code 450} (busy) and {@code 425} (ticket expired meanwhile): up to {@link #RETRIES}
 *       more attempts, pausing 250 ms, 500 ms, 1 s.</li>
 *   <li>{@code 521} on an upload without overwrite: a file appeared there since the listing; the
 *       mirror replaces it.</li>
 *   <li>An MD5 mismatch: one fresh attempt (most likely a kept partial of an older version, which
 *       the library has discarded, or a file changed while it was read).</li>
 *   <li>Nothing is retried once the run is cancelled.</li>
 * </ul>
 *
 * <p>Thread-safe: the workers call {@link #transfer} at once, each with its own
 * control connection and cancellation handle.
 */
final class MirrorRetry {

    /** Transient refusals (450 busy, 425 ticket expired meanwhile) are retried this many times. */
    static final int RETRIES = 3;

    private final MirrorRun run;

    MirrorRetry(MirrorRun run) {
        this.run = run;
    }

    /** Whether a refusal with {@code code} is worth another attempt on the single-file path. */
    static boolean isTransient(int code) {
        return code == 450 || code == 425;
    }

    /**
     * Whether a batch upload's answer is left to the single-file path: refused for now
     * ({@code 450}, {@code 421}), appeared meanwhile ({@code 521}) or changed while read ({@code 554}).
     */
    static boolean batchHandsBack(Reply answer) {
        int code = answer.code();
        return code == 450 || code == 421 || code == 521 || code == 554;
    }

    /**
     * The single-file path: skips {@code job} if identical there, else transfers it (with resume
     * and the MD5 check) on {@code client}, retrying as this policy says.
     *
     * @param mine this worker's cancellation handle, reset after each attempt
     */
    FileOutcome transfer(NetdiskClient client, MirrorJob job, Cancellation mine) throws IOException {
        if (run.uploading()) {
            Entry there = job.existing();
            if (there != null && there.isDirectory()) {
                throw new ReplyException(550, "is a directory: " + job.remote());
            }
            if (SkipIdentical.there(job, mine, run.checksum())) {
                return new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null);
            }
        } else if (SkipIdentical.here(job, mine, run.checksum())) {
            return new FileOutcome(Status.SKIPPED, job.remote(), job.local(), job.size(), 0, null);
        }
        Cancellation cancel = run.cancel();
        TransferOptions options = TransferOptions.DEFAULTS.withOverwrite(true).withCancellation(mine)
                .withStamps(run.stamps());
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
                    run.tally().moved(delta);
                }

                @Override
                public void notice(String line) {
                    run.tally().notice(job.local(), line);
                }
            };
            try {
                TransferResult r = run.uploading()
                        ? client.uploadExact(job.local(), job.remote(), options.withOverwrite(overwrite), counting)
                        : client.download(job.remote(), job.local(), options, counting);
                return new FileOutcome(Status.TRANSFERRED, job.remote(), job.local(), r.size(), r.offset(), null);
            } catch (ReplyException e) {
                if (run.uploading() && e.code() == 521 && !overwrite && !cancel.isCancelled()) {
                    // A file appeared there since the listing (an earlier, cancelled run's upload
                    // that the server committed after all): a mirror replaces it.
                    overwrite = true;
                    continue;
                }
                if (!isTransient(e.code()) || attempt >= RETRIES || cancel.isCancelled()) {
                    throw e;
                }
                pause(attempt);
            } catch (ChecksumMismatchException e) {
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

    /** The pause before retry {@code attempt + 1}: 250 ms, doubling. */
    private static void pause(int attempt) throws TransferCancelledException {
        try {
            Thread.sleep(250L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferCancelledException("interrupted");
        }
    }
}
