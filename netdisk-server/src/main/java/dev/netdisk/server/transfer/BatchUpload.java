package dev.netdisk.server.transfer;

import dev.netdisk.server.Services;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.ErrorReplies;
import dev.netdisk.server.protocol.LineDecoder;
import dev.netdisk.server.protocol.Reply;
import dev.netdisk.server.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.RemotePath;
import dev.netdisk.server.store.User;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A batch data connection ({@code BATCH}, then {@code DATA ticket}; {@code docs/PROTOCOL.md}
 * section 6, "Many small files on one data connection"): the client streams small files one after
 * another, each as a line {@code UPLOAD path size md5 [--overwrite]} followed by its {@code size}
 * bytes, without waiting for answers; the server answers each with one line, in the order sent.
 * No ticket, no {@code 150} and no round trip per file.
 *
 * <p>The selector thread only splits the stream into files: it copies each file's bytes into a
 * byte array of its size (at most {@link #MAX_FILE_BYTES}) and checks the line's syntax. The
 * files that a read completed go to a worker together, which hashes each, checks the quota, and
 * hands it to {@link UploadCommits} (group commit: many files in one durable transaction, stored
 * in the database as {@link InlineBlobs}). The answers come back to the selector, which writes
 * them in order.
 *
 * <p>Flow control: past {@link #MAX_PENDING_FILES} files or {@link #MAX_PENDING_BYTES} bytes held
 * for files received and not yet answered, no new file is read until answers free room (the file
 * arriving is always read to its end: a refused one's bytes are dropped, not held); while the
 * connection's replies are not being read, it stops reading. TCP pushes back on the client.
 *
 * <p>Errors: a file refused (bad path, quota, checksum, already there) gets its error reply and
 * the stream goes on; its bytes are read and dropped. A line that cannot be framed (no size, an
 * unknown verb, too long) ends the batch with an error reply after the files before it are
 * answered. A client that goes away mid-file loses that file only; files it sent whole are still
 * committed (their answers are lost with the connection, as for an upload's {@code 226}).
 */
public final class BatchUpload implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(BatchUpload.class.getName());

    /** The largest file a batch takes, in bytes: a file small enough to be kept in the database. */
    public static final int MAX_FILE_BYTES = InlineBlobs.MAX_BYTES;
    /** The longest {@code UPLOAD} line, in bytes without its end: room for a path of 4,096 bytes, quoted. */
    static final int MAX_LINE_BYTES = 16 * 1024;
    /** Files received and not yet answered before the connection stops reading. */
    static final int MAX_PENDING_FILES = 1024;
    /** Bytes of files received and not yet answered before the connection stops reading. */
    static final long MAX_PENDING_BYTES = 8L << 20;
    private static final int READ_BYTES = 64 * 1024;
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");
    private static final String SYNTAX = "UPLOAD path size md5 [--overwrite]";

    /** One file of the batch, from its line until its answer is written. */
    private static final class Item {
        final RemotePath path;
        final long size;
        final String md5;
        final boolean overwrite;
        /** The bytes, filled as they arrive; null for a refused file, whose bytes are dropped. */
        final byte[] content;
        long received;
        /** The answer, once known. */
        Reply reply;

        Item(RemotePath path, long size, String md5, boolean overwrite, Reply refusal) {
            this.path = path;
            this.size = size;
            this.md5 = md5;
            this.overwrite = overwrite;
            this.content = refusal == null ? new byte[(int) size] : null;
            this.reply = refusal;
        }
    }

    private final Services services;
    private final Quotas quotas;
    private final User user;
    private final Runnable onEnd;
    private final LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
    private final ByteBuffer in = ByteBuffer.allocate(READ_BYTES);
    /** Files received or being received, in order, until their answers are written. */
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    /** Bytes held in memory by the files in {@link #pending} (a refused file's are dropped, not held). */
    private long pendingBytes;
    /** The file whose bytes are arriving, or null between files. */
    private Item receiving;
    /** Bytes of this batch's files handed to the committer and not yet committed: counted against the quota. */
    private final AtomicLong uncommitted = new AtomicLong();
    /**
     * Set when no more files come ({@code QUIT}, end of stream, or a line that cannot be framed):
     * the code and first words of the last reply, sent once every file before it is answered.
     */
    private ReplyCode lastCode;
    private String lastText;
    /** The peer ended its output; what it sent before is still processed. */
    private boolean ended;
    private boolean released;
    private int stored;
    private int refused;
    private DataLink link;

    private BatchUpload(Services services, Quotas quotas, User user, Runnable onEnd) {
        this.services = services;
        this.quotas = quotas;
        this.user = user;
        this.onEnd = onEnd;
    }

    /**
     * A batch for {@code user}.
     *
     * @param onEnd runs once when the batch ends (whatever the outcome): releases the transfer slot
     */
    public static BatchUpload open(Services services, Quotas quotas, User user, Runnable onEnd) {
        return new BatchUpload(services, quotas, user, onEnd);
    }

    @Override
    public Reply preliminary() {
        return Reply.of(ReplyCode.FILE_STATUS_OK, "max-size=" + MAX_FILE_BYTES + " send " + SYNTAX
                + " lines, each followed by its bytes, then QUIT");
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
        return false;
    }

    @Override
    public void onWritable() {
        // Replies go through the connection's queue.
    }

    @Override
    public void onClosed() {
        release();
    }

    /** Selector: splits what has arrived into files, hands the complete ones to a worker, answers. */
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
                    break; // answered() comes back for the rest
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
                        begin(Request.parse(text));
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

    /** Selector: the line that starts a file (or ends the batch). */
    private void begin(Request request) {
        if (request.verb().equals("QUIT")) {
            end(ReplyCode.CLOSING, "bye");
            return;
        }
        if (!request.verb().equals("UPLOAD")) {
            end(ReplyCode.BAD_SEQUENCE, "a batch takes only " + SYNTAX + " or QUIT");
            return;
        }
        List<String> words;
        try {
            words = request.args();
        } catch (CommandException e) {
            end(ReplyCode.ARGUMENT_ERROR, e.getMessage());
            return;
        }
        List<String> args = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String word : words) {
            (word.startsWith("--") ? options : args).add(word);
        }
        long size = args.size() < 2 ? -1 : parseSize(args.get(1));
        if (size < 0) {
            // Without its size the stream cannot be followed past this file.
            end(ReplyCode.ARGUMENT_ERROR, "usage: " + SYNTAX + " (size a number of bytes)");
            return;
        }
        RemotePath path = null;
        String md5 = null;
        Reply refusal = null;
        try {
            path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
            if (size > MAX_FILE_BYTES) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "a batch takes files of at most " + MAX_FILE_BYTES
                        + " bytes; send this one with UPLOAD on the control connection: " + path);
            } else if (args.size() != 3 || !MD5_HEX.matcher(args.get(2)).matches()) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + SYNTAX + " (md5 32 hex digits): " + path);
            } else if (!options.stream().allMatch("--overwrite"::equals)) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "unknown option: " + options.stream()
                        .filter(o -> !o.equals("--overwrite")).findFirst().orElseThrow());
            } else if (path.isRoot()) {
                refusal = Reply.of(ReplyCode.FILE_UNAVAILABLE, "is a directory: /");
            } else {
                FileTree.checkWritable(path);
                md5 = args.get(2).toLowerCase(Locale.ROOT);
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("UPLOAD", e);
        }
        Item item = new Item(path, size, md5, options.contains("--overwrite"), refusal);
        if (refusal != null) {
            refused++;
        }
        pending.add(item);
        pendingBytes += held(item);
        receiving = item;
    }

    /** Selector: no more files are read; {@code code} and {@code text} begin the last reply. */
    private void end(ReplyCode code, String text) {
        lastCode = code;
        lastText = text;
    }

    private static long held(Item item) {
        return item.content == null ? 0 : item.size;
    }

    private boolean full() {
        return pending.size() >= MAX_PENDING_FILES || pendingBytes >= MAX_PENDING_BYTES;
    }

    private static long parseSize(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Selector: hands files whose bytes are all in to a worker, which verifies and commits them. */
    private void check(List<Item> items) {
        try {
            services.workers().execute(() -> {
                List<Runnable> answers = new ArrayList<>();
                for (Item item : items) {
                    Reply refusal = verifyAndCommit(item);
                    if (refusal != null) {
                        answers.add(() -> answered(item, refusal));
                    }
                }
                if (!answers.isEmpty()) {
                    link.execute(() -> answers.forEach(Runnable::run));
                }
            });
        } catch (RejectedExecutionException e) {
            for (Item item : items) {
                answered(item, stopping());
            }
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
            long needed = item.size;
            if (item.overwrite) {
                Optional<Node> there = services.tree().find(user.id(), item.path);
                needed -= there.filter(n -> !n.directory()).map(Node::size).orElse(0L);
            }
            // The files of this batch not yet committed count as used.
            quotas.check(user.id(), item.path.toString(), needed + uncommitted.get());
            uncommitted.addAndGet(item.size);
            services.commits().commit(new FileTree.NewFile(user.id(), item.path, item.size, actual,
                    services.blobs().newBlobId(), item.overwrite, PartialUploads.NOT_KEPT, item.content), null,
                    outcome -> {
                        uncommitted.addAndGet(-item.size);
                        Reply reply = outcome.failure() != null ? ErrorReplies.toReply("UPLOAD", outcome.failure())
                                : Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + item.size + " md5=" + actual
                                        + " stored " + item.path);
                        link.execute(() -> answered(item, reply));
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

    /** Selector: one file's answer is known. */
    private void answered(Item item, Reply reply) {
        item.reply = reply;
        if (reply.code() == ReplyCode.TRANSFER_COMPLETE) {
            stored++;
        } else {
            refused++;
        }
        answer();
        if (lastCode == null && in.position() > 0 && !full()) {
            process(); // lines and bytes held back while the batch was full
        }
    }

    /** Selector: writes the answers that are next in order; ends the batch when all are written. */
    private void answer() {
        if (released) {
            return;
        }
        while (!pending.isEmpty() && pending.peek().reply != null && pending.peek() != receiving) {
            Item done = pending.poll();
            pendingBytes -= held(done);
            link.reply(done.reply);
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
        return stored + " stored, " + refused + " refused";
    }

    private void release() {
        if (!released) {
            released = true;
            onEnd.run();
        }
    }
}
