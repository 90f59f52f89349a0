package dev.netdisk.server.transfer;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.User;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A batch data connection ({@code BATCH}, then {@code DATA ticket}; {@code docs/PROTOCOL.md}
 * section 6, "Many small files on one data connection"): the client names many small files one
 * after another, without waiting for answers, and the server answers each with one line, in the
 * order named. No ticket, no {@code 150} and no round trip per file.
 * <ul>
 *   <li>{@code UPLOAD path size md5 [--overwrite]} is followed by the file's {@code size} bytes;
 *       its answer is {@code 226 size=S md5=M stored /path} once the file is durable and visible.
 *   <li>{@code DOWNLOAD path} is followed by nothing; its answer is
 *       {@code 150 size=S md5=M sending /path} followed by the file's {@code S} bytes.
 * </ul>
 *
 * <p>The selector thread only splits the stream into items: it copies each upload's bytes into a
 * byte array of its size (at most {@link ProtocolLimits#SMALL_FILE_BYTES}) and checks each line's syntax. The
 * items that a read completed go to a worker together. It hashes each upload, checks the quota,
 * and hands it to {@link UploadCommits} (group commit: many files in one durable transaction,
 * stored in the database as {@link InlineBlobs}); it looks up the downloads with one pooled
 * connection and reads their bytes from the database ({@link BatchDownloads}). The answers come
 * back to the selector, which writes them in order. One worker at a time takes a batch's items,
 * so its uploads are committed in the order they were sent; but a {@code DOWNLOAD} does not wait
 * for the commit of an {@code UPLOAD} named before it in the same batch.
 *
 * <p>Lines are parsed by {@link BatchLines}; the items wait for their answers, in order and under
 * the batch's flow control, in {@link BatchAnswers}. While the connection's replies are not being
 * read, it stops reading.
 *
 * <p>Errors: an item refused (bad path, no such file, quota, checksum, already there) gets its
 * error reply and the stream goes on; a refused upload's bytes are read and dropped. A line that
 * cannot be framed (no size, an unknown verb, too long) ends the batch with an error reply after
 * the items before it are answered. A client that goes away mid-file loses that file only; files
 * it sent whole are still committed (their answers are lost with the connection, as for an
 * upload's {@code 226}).
 */
public final class BatchTransfer implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(BatchTransfer.class.getName());

    private static final int READ_BYTES = 64 * 1024;

    private final FileTree tree;
    private final BlobStore blobs;
    private final UploadCommits commits;
    private final Executor workers;
    private final UploadAdmission admission;
    private final User user;
    private final Runnable onEnd;
    private final LineDecoder decoder = new LineDecoder(BatchLines.MAX_LINE_BYTES);
    private final ByteBuffer in = ByteBuffer.allocate(READ_BYTES);
    private final BatchAnswers answers = new BatchAnswers();
    /** The upload whose bytes are arriving, or null between items. */
    private BatchItem receiving;
    /** Groups of items read (one per read) and not yet taken by a worker, in the order read. */
    private final Queue<List<BatchItem>> unchecked = new ConcurrentLinkedQueue<>();
    /** Set while a worker takes groups from {@link #unchecked}: never more than one per batch. */
    private final AtomicBoolean checking = new AtomicBoolean();
    /** Bytes of this batch's files handed to the committer and not yet committed: counted against the quota. */
    private final AtomicLong uncommitted = new AtomicLong();
    /**
     * Set when no more items come ({@code QUIT}, end of stream, or a line that cannot be framed):
     * the code and first words of the last reply, sent once every item before it is answered.
     */
    private BatchLines.End last;
    /** The peer ended its output; what it sent before is still processed. */
    private boolean ended;
    private boolean released;
    private DataLink link;

    private BatchTransfer(FileTree tree, BlobStore blobs, UploadCommits commits, Executor workers, Quotas quotas,
                          User user, Runnable onEnd) {
        this.tree = tree;
        this.blobs = blobs;
        this.commits = commits;
        this.workers = workers;
        this.admission = new UploadAdmission(tree, quotas);
        this.user = user;
        this.onEnd = onEnd;
    }

    /**
     * A batch for {@code user}.
     *
     * @param workers runs the checks and reads of small files (blocking: JDBC, disk)
     * @param onEnd runs once when the batch ends (whatever the outcome): releases the transfer slot
     */
    public static BatchTransfer open(FileTree tree, BlobStore blobs, UploadCommits commits, Executor workers,
                                     Quotas quotas, User user, Runnable onEnd) {
        return new BatchTransfer(tree, blobs, commits, workers, quotas, user, onEnd);
    }

    @Override
    public Reply preliminary() {
        return Reply.of(ReplyCode.FILE_STATUS_OK, "max-size=" + ProtocolLimits.SMALL_FILE_BYTES + " send "
                + BatchLines.UPLOAD_SYNTAX + " lines, each followed by its bytes, and " + BatchLines.DOWNLOAD_SYNTAX
                + " lines, then QUIT");
    }

    @Override
    public void start(DataLink dataLink, ByteBuffer leftover) {
        this.link = dataLink;
        in.put(leftover); // at most the connection's input buffer, smaller than ours
        process();
    }

    @Override
    public boolean wantsRead() {
        // Limits stop new files, never the bytes of the one arriving (nothing else may be there to free it).
        return last == null && !ended && (receiving != null || !answers.full());
    }

    @Override
    public void onReadable() throws IOException {
        int n = link.channel().read(in);
        if (n < 0) {
            ended = true;
        } else {
            link.counted(n, 0);
        }
        process();
    }

    @Override
    public boolean wantsWrite() {
        // Called back once the connection's queue is written.
        return answers.backlogged();
    }

    @Override
    public void onWritable() {
        answers.backlogged(false);
        process(); // lines held back while the answers waited for the peer
    }

    @Override
    public void onClosed() {
        release();
    }

    /** Selector: splits what has arrived into items, hands the complete ones to a worker, answers. */
    private void process() {
        List<BatchItem> complete = new ArrayList<>();
        in.flip();
        try {
            while (in.hasRemaining() && last == null) {
                if (receiving != null) {
                    int take = (int) Math.min(in.remaining(), receiving.size - receiving.received);
                    if (receiving.content != null) {
                        in.get(receiving.content, (int) receiving.received, take);
                    } else {
                        in.position(in.position() + take);
                    }
                    receiving.received += take;
                } else if (answers.full()) {
                    break; // answerAndResume() or onWritable() comes back for the rest
                } else {
                    LineDecoder.Item line = decoder.next(in);
                    if (line == null) {
                        break;
                    }
                    if (line instanceof LineDecoder.Invalid invalid) {
                        last = new BatchLines.End(ReplyCode.SYNTAX_ERROR, invalid.message());
                        break;
                    }
                    String text = ((LineDecoder.Line) line).text();
                    if (!text.isBlank()) {
                        begin(BatchLines.parse(text), complete);
                    }
                }
                if (receiving != null && receiving.received == receiving.size) {
                    if (receiving.reply == null) {
                        complete.add(receiving);
                    }
                    receiving = null;
                }
            }
        } finally {
            in.compact();
        }
        if (ended && last == null && in.position() == 0) {
            // Everything that arrived is processed: a file cut short is dropped, the others answered.
            if (receiving != null) {
                answers.dropLast();
                receiving = null;
            }
            last = new BatchLines.End(ReplyCode.CLOSING, "end of stream");
        }
        if (!complete.isEmpty()) {
            check(complete);
        }
        answer();
    }

    /** Selector: a line parsed; an item is now pending (a download to look up joins {@code complete}). */
    private void begin(BatchLines.Parsed parsed, List<BatchItem> complete) {
        if (parsed instanceof BatchLines.End end) {
            last = end;
            return;
        }
        BatchItem item = (BatchItem) parsed;
        answers.add(item);
        if (!item.download) {
            receiving = item;
        } else if (item.reply == null) {
            complete.add(item);
        }
    }

    /**
     * Selector: hands the items a read completed to a worker, which verifies and commits the
     * uploads and reads the downloads. One worker at a time takes this batch's items, in the
     * order they were read, so its uploads reach the group commit (first in, first committed) in
     * the order they were sent: a second {@code UPLOAD} of a path without {@code --overwrite} is
     * refused ({@code 521}), never the first.
     */
    private void check(List<BatchItem> items) {
        unchecked.add(items);
        if (!checking.compareAndSet(false, true)) {
            return;  // the worker taking this batch's items takes these too
        }
        try {
            workers.execute(this::checkInOrder);
        } catch (RejectedExecutionException e) {
            // No worker runs for this batch: the selector may empty the queue itself.
            checking.set(false);
            List<BatchItem> group;
            while ((group = unchecked.poll()) != null) {
                for (BatchItem item : group) {
                    answers.settle(item, stopping(), null);
                }
            }
            answerAndResume();
        }
    }

    /** Worker: checks the groups of items in {@link #unchecked} until it is empty. */
    private void checkInOrder() {
        do {
            try {
                List<BatchItem> group;
                while ((group = unchecked.poll()) != null) {
                    checkGroup(group);
                }
            } finally {
                // Even after a bug's exception, the next read's check() starts a worker again.
                checking.set(false);
            }
            // A group added between the last poll and the reset found checking still set.
        } while (!unchecked.isEmpty() && checking.compareAndSet(false, true));
    }

    /** Worker: verifies and commits the uploads of {@code items}, reads the downloads, and answers. */
    private void checkGroup(List<BatchItem> items) {
        List<Runnable> settled = new ArrayList<>();
        List<BatchItem> downloads = new ArrayList<>();
        for (BatchItem item : items) {
            if (item.download) {
                downloads.add(item);
                continue;
            }
            Reply refusal = verifyAndCommit(item);
            if (refusal != null) {
                settled.add(() -> answers.settle(item, refusal, null));
            }
        }
        if (!downloads.isEmpty()) {
            for (BatchDownloads.Answer answer : BatchDownloads.read(tree, blobs, user.id(), downloads)) {
                settled.add(() -> answers.settle(answer.item(), answer.reply(), answer.body()));
            }
        }
        if (!settled.isEmpty()) {
            // All settled first, then written together.
            link.execute(() -> {
                settled.forEach(Runnable::run);
                answerAndResume();
            });
        }
    }

    /**
     * Worker: checks one file's MD5 and the quota, then hands it to the group commit, which
     * answers it. Returns the refusal when it is answered at once, else null.
     */
    private Reply verifyAndCommit(BatchItem item) {
        String actual = Md5.hex(item.content);
        if (!actual.equals(item.md5)) {
            return Reply.of(ReplyCode.CHECKSUM_MISMATCH, "checksum mismatch: expected " + item.md5 + ", received "
                    + actual + "; nothing was stored: " + item.path);
        }
        try {
            // The files of this batch not yet committed count as used; the commit checks the placement.
            admission.checkQuota(user.id(), item.path, item.size, item.overwrite, uncommitted.get());
            uncommitted.addAndGet(item.size);
            commits.commit(new FileTree.NewFile(user.id(), item.path, item.size, actual,
                    blobs.newBlobId(), item.overwrite, PartialUploads.NOT_KEPT, item.content), null,
                    outcome -> {
                        uncommitted.addAndGet(-item.size);
                        Reply reply = outcome.failure() != null ? ErrorReplies.toReply("UPLOAD", outcome.failure())
                                : Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + item.size + " md5=" + actual
                                        + " stored " + item.path);
                        link.execute(() -> {
                            answers.settle(item, reply, null);
                            answerAndResume();
                        });
                    });
            return null;
        } catch (RejectedExecutionException e) {
            uncommitted.addAndGet(-item.size);
            return stopping();
        } catch (Exception e) {
            return ErrorReplies.toReply("UPLOAD", e);
        }
    }

    private static Reply stopping() {
        return Reply.of(ReplyCode.SERVICE_CLOSING, "the server is stopping; nothing was stored");
    }

    /** Selector: writes what is answered, then reads what was held back while the batch was full. */
    private void answerAndResume() {
        answer();
        if (last == null && in.position() > 0 && !answers.full()) {
            process();
        }
    }

    /** Selector: writes the answers that are next in order; ends the batch when all are written. */
    private void answer() {
        if (released) {
            return;
        }
        byte[] ready = answers.takeReady(receiving);
        if (ready != null) {
            answers.backlogged(!link.write(ready));
        }
        if (last != null && answers.isEmpty()) {
            release();
            LOG.log(System.Logger.Level.INFO, () -> "batch user=" + user.name() + " " + answers.summary());
            link.finish(Reply.of(last.code(), last.text() + "; end of batch: " + answers.summary()));
            return;
        }
        link.interestChanged();
    }

    private void release() {
        if (!released) {
            released = true;
            onEnd.run();
        }
    }
}
