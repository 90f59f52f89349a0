package dev.netdisk.server.transfer;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.User;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.codec.digest.DigestUtils;

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
 * connection ({@link FileTree#contents}), reading their bytes from the database. The answers come
 * back to the selector, which writes them in order. One worker at a time takes a batch's items,
 * so its uploads are committed in the order they were sent; but a {@code DOWNLOAD} does not wait
 * for the commit of an {@code UPLOAD} named before it in the same batch.
 *
 * <p>Flow control: past {@link #MAX_PENDING_FILES} items or {@link #MAX_PENDING_BYTES} bytes held
 * for items read and not yet answered (an upload holds its bytes; a download holds
 * {@link ProtocolLimits#SMALL_FILE_BYTES} until its bytes are read, then their size), no new item is read until
 * answers free room (the file arriving is always read to its end: a refused one's bytes are
 * dropped, not held); while the connection's replies are not being read, it stops reading. TCP
 * pushes back on the client.
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

    /** The largest file a batch carries, in bytes: a file small enough to be kept in the database. */
    /** The longest line, in bytes without its end: room for a path of 4,096 bytes, quoted. */
    static final int MAX_LINE_BYTES = 16 * 1024;
    /** Items read and not yet answered before the connection stops reading. */
    static final int MAX_PENDING_FILES = 1024;
    /** Bytes held for items read and not yet answered before the connection stops reading. */
    static final long MAX_PENDING_BYTES = 8L << 20;
    private static final int READ_BYTES = 64 * 1024;
    private static final String UPLOAD_SYNTAX = "UPLOAD path size md5 [--overwrite]";
    private static final String DOWNLOAD_SYNTAX = "DOWNLOAD path";

    /** One item of the batch, from its line until its answer is written. */
    private static final class Item {
        final boolean download;
        final RemotePath path;
        /** An upload's declared size in bytes; -1 for a download. */
        final long size;
        final String md5;
        final boolean overwrite;
        /**
         * An upload's bytes, filled as they arrive (null for a refused one, whose bytes are
         * dropped); a download's bytes once read (null until then, and for a refused one).
         */
        byte[] content;
        long received;
        /** The answer, once known. */
        Reply reply;

        private Item(boolean download, RemotePath path, long size, String md5, boolean overwrite, Reply refusal) {
            this.download = download;
            this.path = path;
            this.size = size;
            this.md5 = md5;
            this.overwrite = overwrite;
            this.reply = refusal;
        }

        static Item upload(RemotePath path, long size, String md5, boolean overwrite, Reply refusal) {
            Item item = new Item(false, path, size, md5, overwrite, refusal);
            item.content = refusal == null ? new byte[(int) size] : null;
            return item;
        }

        static Item download(RemotePath path, Reply refusal) {
            return new Item(true, path, -1, null, false, refusal);
        }
    }

    private final FileTree tree;
    private final BlobStore blobs;
    private final UploadCommits commits;
    private final Executor workers;
    private final UploadAdmission admission;
    private final User user;
    private final Runnable onEnd;
    private final LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
    private final ByteBuffer in = ByteBuffer.allocate(READ_BYTES);
    /** Items read or being read, in order, until their answers are written. */
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    /** Bytes held for the items in {@link #pending} ({@link #held}). */
    private long pendingBytes;
    /** The upload whose bytes are arriving, or null between items. */
    private Item receiving;
    /** Groups of items read (one per read) and not yet taken by a worker, in the order read. */
    private final Queue<List<Item>> unchecked = new ConcurrentLinkedQueue<>();
    /** Set while a worker takes groups from {@link #unchecked}: never more than one per batch. */
    private final AtomicBoolean checking = new AtomicBoolean();
    /** Bytes of this batch's files handed to the committer and not yet committed: counted against the quota. */
    private final AtomicLong uncommitted = new AtomicLong();
    /**
     * Set when no more items come ({@code QUIT}, end of stream, or a line that cannot be framed):
     * the code and first words of the last reply, sent once every item before it is answered.
     */
    private ReplyCode lastCode;
    private String lastText;
    /**
     * Answers wait in the connection's queue for the peer to read them: no new item is read until
     * they are written ({@link #onWritable}), so a client that asks for downloads faster than it
     * reads them holds at most {@link #MAX_PENDING_BYTES} and one read's answers.
     */
    private boolean backlogged;
    /** The peer ended its output; what it sent before is still processed. */
    private boolean ended;
    private boolean released;
    private int stored;
    private int sent;
    private int refused;
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
        return Reply.of(ReplyCode.FILE_STATUS_OK, "max-size=" + ProtocolLimits.SMALL_FILE_BYTES + " send " + UPLOAD_SYNTAX
                + " lines, each followed by its bytes, and " + DOWNLOAD_SYNTAX + " lines, then QUIT");
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
        return lastCode == null && !ended && (receiving != null || !full());
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
        return backlogged;
    }

    @Override
    public void onWritable() {
        backlogged = false;
        process(); // lines held back while the answers waited for the peer
    }

    @Override
    public void onClosed() {
        release();
    }

    /** Selector: splits what has arrived into items, hands the complete ones to a worker, answers. */
    private void process() {
        List<Item> complete = new ArrayList<>();
        in.flip();
        try {
            while (in.hasRemaining() && lastCode == null) {
                if (receiving != null) {
                    int take = (int) Math.min(in.remaining(), receiving.size - receiving.received);
                    if (receiving.content != null) {
                        in.get(receiving.content, (int) receiving.received, take);
                    } else {
                        in.position(in.position() + take);
                    }
                    receiving.received += take;
                } else if (full()) {
                    break; // answerAndResume() or onWritable() comes back for the rest
                } else {
                    LineDecoder.Item line = decoder.next(in);
                    if (line == null) {
                        break;
                    }
                    if (line instanceof LineDecoder.Invalid invalid) {
                        end(ReplyCode.SYNTAX_ERROR, invalid.message());
                        break;
                    }
                    String text = ((LineDecoder.Line) line).text();
                    if (!text.isBlank()) {
                        Item item = begin(Request.parse(text));
                        if (item != null && item.download && item.reply == null) {
                            complete.add(item);
                        }
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
        if (ended && lastCode == null && in.position() == 0) {
            // Everything that arrived is processed: a file cut short is dropped, the others answered.
            if (receiving != null) {
                pending.removeLast();
                pendingBytes -= held(receiving);
                receiving = null;
            }
            end(ReplyCode.CLOSING, "end of stream");
        }
        if (!complete.isEmpty()) {
            check(complete);
        }
        answer();
    }

    /**
     * Selector: the line that starts an item, or ends the batch.
     *
     * @return the item, now pending, or null when the batch ends
     */
    private Item begin(Request request) {
        String verb = request.verb();
        if (verb.equals("QUIT")) {
            end(ReplyCode.CLOSING, "bye");
            return null;
        }
        if (!verb.equals("UPLOAD") && !verb.equals("DOWNLOAD")) {
            end(ReplyCode.BAD_SEQUENCE, "a batch takes only " + UPLOAD_SYNTAX + ", " + DOWNLOAD_SYNTAX + " or QUIT");
            return null;
        }
        List<String> words;
        try {
            words = request.args();
        } catch (CommandException e) {
            end(ReplyCode.ARGUMENT_ERROR, e.getMessage());
            return null;
        }
        List<String> args = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String word : words) {
            (word.startsWith("--") ? options : args).add(word);
        }
        Item item = verb.equals("UPLOAD") ? beginUpload(args, options) : beginDownload(args, options);
        if (item == null) {
            return null;
        }
        if (item.reply != null) {
            refused++;
        }
        pending.add(item);
        pendingBytes += held(item);
        if (!item.download) {
            receiving = item;
        }
        return item;
    }

    /** Selector: an {@code UPLOAD} line; null when it cannot be framed (the batch ends). */
    private Item beginUpload(List<String> args, List<String> options) {
        long size = args.size() < 2 ? -1 : parseSize(args.get(1));
        if (size < 0) {
            // Without its size the stream cannot be followed past this file.
            end(ReplyCode.ARGUMENT_ERROR, "usage: " + UPLOAD_SYNTAX + " (size a number of bytes)");
            return null;
        }
        RemotePath path = null;
        String md5 = null;
        Reply refusal = null;
        try {
            path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
            if (size > ProtocolLimits.SMALL_FILE_BYTES) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "a batch takes files of at most " + ProtocolLimits.SMALL_FILE_BYTES
                        + " bytes; send this one with UPLOAD on the control connection: " + path);
            } else if (args.size() != 3 || !Md5.isHex(args.get(2))) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + UPLOAD_SYNTAX + " (md5 32 hex digits): " + path);
            } else if (!options.stream().allMatch("--overwrite"::equals)) {
                refusal = unknownOption(options, "--overwrite");
            } else {
                UploadAdmission.checkTarget(path);
                md5 = args.get(2).toLowerCase(Locale.ROOT);
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("UPLOAD", e);
        }
        return Item.upload(path, size, md5, options.contains("--overwrite"), refusal);
    }

    /** Selector: a {@code DOWNLOAD} line; nothing follows it, so it never ends the batch. */
    private Item beginDownload(List<String> args, List<String> options) {
        RemotePath path = null;
        Reply refusal = null;
        try {
            if (args.size() != 1) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + DOWNLOAD_SYNTAX
                        + " (a batch sends whole files)");
            } else {
                path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
                if (!options.isEmpty()) {
                    refusal = unknownOption(options, null);
                }
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("DOWNLOAD", e);
        }
        return Item.download(path, refusal);
    }

    private static Reply unknownOption(List<String> options, String known) {
        return Reply.of(ReplyCode.ARGUMENT_ERROR, "unknown option: " + options.stream()
                .filter(o -> !o.equals(known)).findFirst().orElseThrow());
    }

    /** Selector: no more items are read; {@code code} and {@code text} begin the last reply. */
    private void end(ReplyCode code, String text) {
        lastCode = code;
        lastText = text;
    }

    /**
     * The bytes {@code item} holds while pending: an upload's size (none once refused: its bytes
     * are dropped); a download's size once read, and {@link ProtocolLimits#SMALL_FILE_BYTES} until then.
     */
    private static long held(Item item) {
        if (item.download) {
            return item.content != null ? item.content.length : item.reply == null ? ProtocolLimits.SMALL_FILE_BYTES : 0;
        }
        return item.content == null ? 0 : item.size;
    }

    private boolean full() {
        return backlogged || pending.size() >= MAX_PENDING_FILES || pendingBytes >= MAX_PENDING_BYTES;
    }

    private static long parseSize(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Selector: hands the items a read completed to a worker, which verifies and commits the
     * uploads and reads the downloads. One worker at a time takes this batch's items, in the
     * order they were read, so its uploads reach the group commit (first in, first committed) in
     * the order they were sent: a second {@code UPLOAD} of a path without {@code --overwrite} is
     * refused ({@code 521}), never the first.
     */
    private void check(List<Item> items) {
        unchecked.add(items);
        if (!checking.compareAndSet(false, true)) {
            return;  // the worker taking this batch's items takes these too
        }
        try {
            workers.execute(this::checkInOrder);
        } catch (RejectedExecutionException e) {
            // No worker runs for this batch: the selector may empty the queue itself.
            checking.set(false);
            List<Item> group;
            while ((group = unchecked.poll()) != null) {
                for (Item item : group) {
                    settle(item, stopping(), null);
                }
            }
            answerAndResume();
        }
    }

    /** Worker: checks the groups of items in {@link #unchecked} until it is empty. */
    private void checkInOrder() {
        do {
            try {
                List<Item> group;
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
    private void checkGroup(List<Item> items) {
        List<Runnable> answers = new ArrayList<>();
        List<Item> downloads = new ArrayList<>();
        for (Item item : items) {
            if (item.download) {
                downloads.add(item);
                continue;
            }
            Reply refusal = verifyAndCommit(item);
            if (refusal != null) {
                answers.add(() -> settle(item, refusal, null));
            }
        }
        if (!downloads.isEmpty()) {
            read(downloads, answers);
        }
        if (!answers.isEmpty()) {
            // All settled first, then written together.
            link.execute(() -> {
                answers.forEach(Runnable::run);
                answerAndResume();
            });
        }
    }

    /**
     * Worker: looks up {@code downloads} and reads their bytes (from the database, or a small blob
     * file), adding each one's answer to {@code answers}.
     */
    private void read(List<Item> downloads, List<Runnable> answers) {
        List<RemotePath> paths = new ArrayList<>(downloads.size());
        for (Item item : downloads) {
            paths.add(item.path);
        }
        List<Optional<FileTree.Content>> found;
        try {
            found = tree.contents(user.id(), paths);
        } catch (Exception e) {
            for (Item item : downloads) {
                Reply failure = ErrorReplies.toReply("DOWNLOAD", e);
                answers.add(() -> settle(item, failure, null));
            }
            return;
        }
        for (int i = 0; i < downloads.size(); i++) {
            Item item = downloads.get(i);
            Optional<FileTree.Content> content = found.get(i);
            Reply reply;
            byte[] bytes = null;
            if (content.isEmpty()) {
                reply = Reply.of(ReplyCode.FILE_UNAVAILABLE, "no such file: " + item.path);
            } else if (content.get().node().directory()) {
                reply = Reply.of(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + item.path);
            } else if (content.get().node().size() > ProtocolLimits.SMALL_FILE_BYTES) {
                reply = Reply.of(ReplyCode.ARGUMENT_ERROR, "a batch sends files of at most " + ProtocolLimits.SMALL_FILE_BYTES
                        + " bytes; get this one with DOWNLOAD on the control connection: " + item.path);
            } else {
                Node node = content.get().node();
                bytes = content.get().inline();
                try {
                    if (bytes == null) {
                        bytes = Files.readAllBytes(blobs.blobPath(node.blobId()));
                    }
                    if (bytes.length != node.size()) {
                        throw new IOException("stored content of " + item.path + " has " + bytes.length
                                + " bytes, not " + node.size());
                    }
                    reply = Reply.of(ReplyCode.FILE_STATUS_OK, "size=" + node.size() + " md5=" + node.md5()
                            + " sending " + item.path);
                } catch (NoSuchFileException e) {
                    // Replaced or deleted between the lookup and the read.
                    bytes = null;
                    reply = Reply.of(ReplyCode.FILE_BUSY, "file changed: request it again: " + item.path);
                } catch (IOException e) {
                    bytes = null;
                    reply = ErrorReplies.toReply("DOWNLOAD", e);
                }
            }
            Reply answer = reply;
            byte[] body = bytes;
            answers.add(() -> settle(item, answer, body));
        }
    }

    /**
     * Worker: checks one file's MD5 and the quota, then hands it to the group commit, which
     * answers it. Returns the refusal when it is answered at once, else null.
     */
    private Reply verifyAndCommit(Item item) {
        String actual = DigestUtils.md5Hex(item.content);
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
                            settle(item, reply, null);
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

    /**
     * Selector: one item's answer is known; {@code body} is a download's bytes, sent after it.
     * Written by the {@link #answerAndResume} that follows.
     */
    private void settle(Item item, Reply reply, byte[] body) {
        if (item.download) {
            pendingBytes -= held(item);
            item.reply = reply;
            item.content = body;
            pendingBytes += held(item);
        } else {
            item.reply = reply;
        }
        if (reply.is(ReplyCode.TRANSFER_COMPLETE)) {
            stored++;
        } else if (reply.is(ReplyCode.FILE_STATUS_OK)) {
            sent++;
        } else {
            refused++;
        }
    }

    /** Selector: writes what is answered, then reads what was held back while the batch was full. */
    private void answerAndResume() {
        answer();
        if (lastCode == null && in.position() > 0 && !full()) {
            process();
        }
    }

    /** Selector: writes the answers that are next in order; ends the batch when all are written. */
    private void answer() {
        if (released) {
            return;
        }
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        while (!pending.isEmpty() && pending.peek().reply != null && pending.peek() != receiving) {
            Item done = pending.poll();
            pendingBytes -= held(done);
            byte[] line = done.reply.toBytes();
            parts.add(line);
            total += line.length;
            if (done.download && done.content != null) {
                parts.add(done.content);
                total += done.content.length;
            }
        }
        if (!parts.isEmpty()) {
            // One write for every answer ready (many small files per system call), copied once.
            byte[] all = new byte[total];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            backlogged = !link.write(all);
        }
        if (lastCode != null && pending.isEmpty()) {
            release();
            LOG.log(System.Logger.Level.INFO, () -> "batch user=" + user.name() + " " + summary());
            link.finish(Reply.of(lastCode, lastText + "; end of batch: " + summary()));
            return;
        }
        link.interestChanged();
    }

    private String summary() {
        return stored + " stored, " + sent + " sent, " + refused + " refused";
    }

    private void release() {
        if (!released) {
            released = true;
            onEnd.run();
        }
    }
}
