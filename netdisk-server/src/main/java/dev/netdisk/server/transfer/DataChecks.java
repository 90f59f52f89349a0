package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.BlobStoreUnavailableException;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.User;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker half of a data connection ({@link DataSession}): verifies and commits its uploads once
 * their bytes are in, and looks up its downloads, in the order they were named.
 *
 * <p>The selector {@link #offer}s each item when it needs a worker (an upload whose bytes and
 * trailer are in, a download to look up), in order, and {@link #dispatch}es the ready front of
 * that queue: a streamed upload is ready once its lanes have written every byte, and the items
 * after it wait for it. The items a dispatch takes go to a worker together; one worker at a time
 * takes a connection's items, so its uploads reach the group commit ({@link UploadCommits}: first in,
 * first committed) in the order they were sent: a second {@code UPLOAD} of a path without
 * {@code --overwrite} is refused ({@code 521}), never the first. Every upload is checked the same
 * way, in memory or streamed: the trailer, the MD5, the quota ({@link UploadAdmission}; exact at the
 * commit, which counts every file committed before), the commit.
 * A download does not wait for the commit of an upload named before it.
 *
 * <p>Answers go back to the selector through {@link Answers}.
 */
final class DataChecks {

    private static final System.Logger LOG = System.getLogger(DataSession.class.getName());

    /** Where answers go, on the selector thread. */
    interface Answers {
        /** {@code item}'s answer is known; {@code body} follows a download's. */
        void settle(DataItem item, Reply reply, Body body);

        /** A group of answers was settled: write them, and read on. */
        void settled();
    }

    private final TransferParts parts;
    private final User user;
    private final DataLink link;
    private final Answers answers;
    /** Selector: items offered and not yet dispatched, in order. */
    private final ArrayDeque<DataItem> waiting = new ArrayDeque<>();
    /** Groups dispatched and not yet taken by a worker, in order. */
    private final Queue<List<DataItem>> unchecked = new ConcurrentLinkedQueue<>();
    /** Set while a worker takes groups from {@link #unchecked}: never more than one per connection. */
    private final AtomicBoolean checking = new AtomicBoolean();

    DataChecks(TransferParts parts, User user, DataLink link, Answers answers) {
        this.parts = parts;
        this.user = user;
        this.link = link;
        this.answers = answers;
    }

    /** Selector: {@code item} needs a worker, after every item offered before it. */
    void offer(DataItem item) {
        waiting.add(item);
    }

    /** Selector: hands the ready front of the queue to a worker. */
    void dispatch() {
        List<DataItem> group = null;
        while (!waiting.isEmpty() && ready(waiting.peek())) {
            if (group == null) {
                group = new ArrayList<>();
            }
            group.add(waiting.poll());
        }
        if (group != null) {
            check(group);
        }
    }

    private static boolean ready(DataItem item) {
        return item.download || item.incoming.readyToCheck();
    }

    private void check(List<DataItem> items) {
        unchecked.add(items);
        if (!checking.compareAndSet(false, true)) {
            return; // the worker taking this connection's items takes these too
        }
        try {
            parts.pools().workers().execute(this::checkInOrder);
        } catch (RejectedExecutionException e) {
            // No worker runs for this connection: the selector empties the queue itself.
            checking.set(false);
            List<DataItem> group;
            while ((group = unchecked.poll()) != null) {
                for (DataItem item : group) {
                    if (!item.download) {
                        item.incoming.closeQuietly();
                        item.incoming.release();
                    }
                    answers.settle(item, stopping(), null);
                }
            }
            answers.settled();
        }
    }

    /** Worker: checks the groups in {@link #unchecked} until it is empty. */
    private void checkInOrder() {
        do {
            try {
                List<DataItem> group;
                while ((group = unchecked.poll()) != null) {
                    checkGroup(group);
                }
            } finally {
                // Even after a bug's exception, the next dispatch starts a worker again.
                checking.set(false);
            }
            // A group added between the last poll and the reset found checking still set.
        } while (!unchecked.isEmpty() && checking.compareAndSet(false, true));
    }

    /** Worker: verifies and commits the uploads of {@code items}, looks up the downloads, and answers. */
    private void checkGroup(List<DataItem> items) {
        List<Runnable> settled = new ArrayList<>();
        List<DataItem> downloads = new ArrayList<>();
        for (DataItem item : items) {
            if (item.download) {
                if (item.body == null) {
                    downloads.add(item);
                }
                continue;
            }
            Reply refusal = verifyAndCommit(item);
            if (refusal != null && item.reserved) {
                // Refused before the commit: the reservation ends before the answer, not a moment
                // after it with the ticket's row, so a QUOTA or UPLOAD that follows no longer counts it.
                parts.tickets().endReservation(user.id(), item.incoming.blobId());
            }
            if (refusal != null) {
                settled.add(() -> answers.settle(item, refusal, null));
            }
        }
        if (!downloads.isEmpty()) {
            for (Downloads.Answer answer : Downloads.read(parts, user.id(), downloads)) {
                settled.add(() -> answers.settle(answer.item(), answer.reply(), answer.body()));
            }
        }
        if (!settled.isEmpty()) {
            // All settled first, then written together.
            link.execute(() -> {
                settled.forEach(Runnable::run);
                answers.settled();
            });
        }
    }

    /**
     * Worker: checks one upload's trailer, MD5 and quota, then hands it to the group commit, which
     * answers it. Returns the refusal when it is answered at once, else null.
     */
    private Reply verifyAndCommit(DataItem item) {
        Incoming incoming = item.incoming;
        boolean handedOver = false;
        try {
            Reply problem = incoming.trailerProblem();
            if (problem != null) {
                incoming.keep();
                return problem;
            }
            if (incoming.failure() != null) {
                if (incoming.failure() instanceof BlobStoreUnavailableException) {
                    // The store did not take a part: the parts it took are whole, a resume continues
                    // after them. ErrorReplies logs the one line.
                    incoming.keep();
                } else {
                    incoming.discard(); // a full disk gets its space back
                    LOG.log(System.Logger.Level.ERROR, "upload of " + item.path + " failed", incoming.failure());
                }
                return ErrorReplies.toReply("UPLOAD", incoming.failure());
            }
            UploadReceiver.Received bytes = incoming.finish();
            String actual = bytes.md5();
            String claimed = item.md5 != null ? item.md5 : incoming.trailerMd5();
            if (!actual.equals(claimed)) {
                incoming.discard();
                LOG.log(System.Logger.Level.WARNING, () -> "upload rejected verified=no (checksum mismatch) user="
                        + user.name() + " path=" + item.path);
                return Reply.of(ReplyCode.CHECKSUM_MISMATCH, "checksum mismatch: expected " + claimed + ", received "
                        + actual + "; nothing was stored: " + item.path);
            }
            // Would it fit now: an early refusal. The commit checks the placement and the quota again,
            // exactly, after the files committed before it (this connection's and every other's).
            parts.admission().checkQuota(user.id(), item.path, item.size, item.overwrite, 0);
            parts.commits().commit(new FileTree.NewFile(user.id(), item.path, item.size, actual, incoming.blobId(),
                    item.overwrite, incoming.partialId(), bytes.content(), item.mtimeMillis, item.reserved),
                    incoming.upload(), outcome -> {
                        incoming.release();
                        Reply reply = outcome.failure() != null ? refusal(item, outcome.failure())
                                : Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + item.size + " md5=" + actual
                                        + " stored " + item.path);
                        if (!incoming.inMemory() && outcome.failure() == null) {
                            item.log("upload stored verified=yes user=" + user.name(), item.size - item.offset);
                        }
                        link.execute(() -> {
                            answers.settle(item, reply, null);
                            answers.settled();
                        });
                    });
            handedOver = true;
            return null;
        } catch (RejectedExecutionException e) {
            // The server is stopping: a streamed file stays as written and resumes after the restart.
            incoming.closeQuietly();
            return stopping();
        } catch (Exception e) {
            if (!incoming.inMemory()) {
                try {
                    incoming.keep(); // refused by the quota, or a lookup failed: resumable once it fits
                } catch (Exception kept) {
                    e.addSuppressed(kept);
                }
            }
            return ErrorReplies.toReply("UPLOAD", e);
        } finally {
            if (!handedOver) {
                incoming.release();
            }
        }
    }

    /** The reply for a commit's failure: a placement refusal reads as it would have before the bytes. */
    private static Reply refusal(DataItem item, Exception failure) {
        Exception e = UploadAdmission.placementError(item.path, failure);
        return ErrorReplies.toReply("UPLOAD", e != null ? e : failure);
    }

    private static Reply stopping() {
        return Reply.of(ReplyCode.SERVICE_CLOSING, "the server is stopping; nothing was stored");
    }
}
