package dev.netdisk.server.transfer;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.User;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * A data connection ({@code DATA ticket}; {@code docs/PROTOCOL.md} section 6): the one way every
 * file's bytes travel, whatever its size and direction. Each file is an item ({@link DataItem}):
 * an upload, whose bytes (and, with a deferred MD5, trailer line) follow its line, or a download,
 * whose bytes follow its answer. A ticket from {@code UPLOAD}, {@code DOWNLOAD} or {@code FETCH}
 * stands for one item's line: its {@code 150} is that item's answer and its final line the item's
 * outcome. A ticket from {@code BATCH} lets the client name any number of items, one after another,
 * without waiting for answers, which come back one per item in the order named.
 *
 * <p>The selector thread frames the stream (lines, {@link BatchLines}) and receives each upload's
 * bytes into its {@link Incoming}: a small file ({@link InlineBlobs#fits}) into memory, through the
 * framing buffer, so one read carries many; a bigger one straight from the socket into the buffers
 * of its hash and write lanes ({@link UploadReceiver}), its partial file opened by a worker first.
 * Once an upload's bytes are in, {@link DataChecks} verifies and commits it on a worker, in order;
 * it also looks the downloads up. Answers are written in order ({@link DataAnswers}): a small
 * file's bytes with them, a bigger file's by a {@link FileSender} after its line.
 *
 * <p>Errors: an item refused (bad path, no such file, quota, checksum, already there) gets its
 * refusal and the stream goes on; a refused upload's bytes are read and dropped. A line that cannot
 * be framed (no size, an unknown verb, too long) ends a batch with an error reply after the items
 * before it are answered. A client that goes away mid-file loses that file's answer; a big file's
 * bytes are kept for resume. Files it sent whole are still committed.
 *
 * <p>Threads: every method runs on the selector thread; blocking work goes to workers and the
 * bulk pool, and comes back through {@link DataLink#execute}.
 */
public final class DataSession implements DataTransfer, DataChecks.Answers {

    private static final System.Logger LOG = System.getLogger(DataSession.class.getName());

    /** The framing buffer: many small files per read. */
    private static final int READ_BYTES = 64 * 1024;

    private final TransferParts parts;
    private final User user;
    private final Runnable onEnd;
    /** The ticket's one file, or null on a batch connection, where the client names each file. */
    private final DataItem ticketItem;
    private final LineDecoder decoder = new LineDecoder(BatchLines.MAX_LINE_BYTES);
    private final ByteBuffer in = ByteBuffer.allocate(READ_BYTES);
    private final DataAnswers answers = new DataAnswers();
    private DataChecks checks;
    /** The upload whose bytes (or trailer) are arriving, or null between items. */
    private DataItem receiving;
    /** A worker is opening {@link #receiving}'s partial file: its bytes wait. */
    private boolean opening;
    /** Sends the file of the answer just written, or null. */
    private FileSender sender;
    /** A batch takes no more items: the code and first words of its last reply. */
    private BatchLines.End last;
    /** The peer ended its output; what it sent before is still processed. */
    private boolean ended;
    private boolean closed;
    private boolean released;
    private DataLink link;

    private DataSession(TransferParts parts, User user, DataItem ticketItem, Runnable onEnd) {
        this.parts = parts;
        this.user = user;
        this.ticketItem = ticketItem;
        this.onEnd = onEnd;
    }

    /**
     * A batch for {@code user}: the client names the files.
     *
     * @param onEnd runs once when the connection ends (whatever the outcome): releases the transfer slot
     */
    public static DataSession batch(TransferParts parts, User user, Runnable onEnd) {
        return new DataSession(parts, user, null, onEnd);
    }

    /**
     * The upload of {@code ticket}: opens its kept bytes and hashes them (or, for a small file,
     * opens nothing). Blocking: a worker. The caller holds {@link Tickets#beginUpload} for a kept
     * partial; the session lets it go.
     *
     * @throws IOException when the partial file cannot be opened or read
     */
    public static DataSession upload(TransferParts parts, Ticket.Upload ticket, Runnable onEnd) throws IOException {
        DataItem item = DataItem.upload(ticket.path(), ticket.size(), ticket.md5(), ticket.overwrite(),
                ticket.offset(), null);
        item.incoming = Incoming.forTicket(parts, ticket);
        item.answered = true; // the 150 stands for its line; its outcome is the final reply
        return new DataSession(parts, ticket.user(), item, onEnd);
    }

    /**
     * The download of {@code ticket}: reads a small file's bytes, or opens the blob. Blocking: a worker.
     *
     * @throws java.nio.file.NoSuchFileException when the blob is gone (replaced or deleted since the ticket)
     */
    public static DataSession download(TransferParts parts, Ticket.Download ticket, Runnable onEnd)
            throws IOException, SQLException {
        Node node = ticket.node();
        byte[] inline = InlineBlobs.fits(node.size()) ? parts.tree().inlineContent(node.blobId()).orElse(null) : null;
        DataItem item = DataItem.download(ticket.path(), ticket.offset(), null);
        item.body = Downloads.body(parts, node, inline, ticket.offset());
        item.answered = true; // the 150 is its answer
        item.reply = Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + node.size() + " md5=" + node.md5() + " sent "
                + ticket.path());
        return new DataSession(parts, ticket.user(), item, onEnd);
    }

    @Override
    public Reply preliminary() {
        if (ticketItem == null) {
            return Reply.of(ReplyCode.FILE_STATUS_OK, "max-size=" + ProtocolLimits.SMALL_FILE_BYTES + " send "
                    + BatchLines.UPLOAD_SYNTAX + " lines, each followed by its bytes, and "
                    + BatchLines.DOWNLOAD_SYNTAX + " lines, then QUIT");
        }
        if (ticketItem.download) {
            return Reply.of(ReplyCode.FILE_STATUS_OK, "sending " + ticketItem.body.length() + " bytes from offset "
                    + ticketItem.offset);
        }
        return Reply.of(ReplyCode.FILE_STATUS_OK, "send " + (ticketItem.size - ticketItem.offset)
                + " bytes from offset " + ticketItem.offset + (ticketItem.md5 == null ? ", then the line MD5 <md5>" : ""));
    }

    @Override
    public boolean countsAsUpload() {
        return ticketItem == null || !ticketItem.download;
    }

    @Override
    public void start(DataLink dataLink, ByteBuffer leftover) {
        this.link = dataLink;
        this.checks = new DataChecks(parts, user, dataLink, this);
        in.put(leftover); // at most the connection's input buffer, smaller than ours
        if (ticketItem != null) {
            answers.add(ticketItem);
            if (!ticketItem.download) {
                receiving = ticketItem;
                listen(ticketItem);
            }
        }
        process();
    }

    @Override
    public boolean wantsRead() {
        if (closed || ended) {
            return false;
        }
        if (receiving != null) {
            if (opening) {
                return false;
            }
            Incoming incoming = receiving.incoming;
            // Limits stop new files, never the bytes of the one arriving; its lanes do.
            return incoming == null || receiving.failing || !incoming.waitingForLanes();
        }
        if (ticketItem != null) {
            return ticketItem.download; // reads and drops what a download's peer sends, to see its end
        }
        return last == null && !answers.full();
    }

    @Override
    public void onReadable() throws IOException {
        int n;
        Incoming incoming = receiving == null || opening || receiving.failing ? null : receiving.incoming;
        if (incoming != null && in.position() == 0 && incoming.canReadDirect()) {
            n = incoming.read(link.channel());
            if (n > 0) {
                incoming.pass();
            }
        } else {
            n = link.channel().read(in);
        }
        if (n < 0) {
            if (ticketItem != null && receiving != null && incoming != null && !incoming.allBytesIn()) {
                // The connection closes, and onClosed keeps the bytes for resume.
                throw new IOException("client closed the data connection after "
                        + (receiving.offset + incoming.received()) + " of " + receiving.size + " bytes");
            }
            ended = true;
        } else {
            link.counted(n, 0);
        }
        process();
    }

    @Override
    public boolean wantsWrite() {
        // Called back once the connection's queue is written.
        return answers.backlogged() || sender != null && sender.wantsWrite();
    }

    @Override
    public void onWritable() {
        answers.backlogged(false);
        if (sender != null) {
            sender.turn();
        } else {
            process(); // lines held back while the answers waited for the peer
        }
    }

    @Override
    public Reply stalledReply(Duration after) {
        if (ticketItem == null || ticketItem.download) {
            return null;
        }
        Incoming incoming = ticketItem.incoming;
        String what = incoming.allBytesIn() ? "no checksum trailer" : "no bytes";
        return Reply.of(ReplyCode.SERVICE_CLOSING, "transfer stalled: " + what + " for " + after.toSeconds()
                + " seconds; " + (incoming.inMemory() ? incoming.note() : "the bytes received are kept for resume"));
    }

    @Override
    public void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        if (link == null && ticketItem != null) {
            // Closed before it started: the ticket's file was opened for nothing.
            receiving = ticketItem.download ? null : ticketItem;
            if (ticketItem.body != null) {
                ticketItem.body.close();
            }
        }
        if (receiving != null && receiving.incoming != null && !opening) {
            abort(receiving);
        }
        receiving = null;
        if (sender != null) {
            sender.close();
        }
        for (DataItem item : answers.unanswered()) {
            if (item.body != null) {
                item.body.close();
            }
        }
        release();
    }

    // ---- framing ----

    /**
     * Selector: frames what has arrived into items and their bytes, hands the complete ones on,
     * answers; and frames again when answering made room for lines that were held back.
     */
    private void process() {
        boolean heldBack;
        do {
            if (closed) {
                return;
            }
            heldBack = frame();
            if (ended && in.position() == 0 && last == null) {
                endOfStream();
            }
            checks.dispatch();
            answer();
        } while (heldBack && !released && !answers.full());
    }

    /** Selector: frames the buffered bytes. Returns whether lines wait because the answers are full. */
    private boolean frame() {
        in.flip();
        try {
            while (last == null) {
                if (receiving != null) {
                    if (opening || !feed(receiving)) {
                        return false;
                    }
                    continue;
                }
                if (ticketItem != null) {
                    in.position(in.limit()); // nothing after the ticket's file is looked at
                    return false;
                }
                if (!in.hasRemaining()) {
                    return false;
                }
                if (answers.full()) {
                    return true; // answering, settled() or onWritable() comes back for the rest
                }
                LineDecoder.Item line = decoder.next(in);
                if (line == null) {
                    return false;
                }
                if (line instanceof LineDecoder.Invalid invalid) {
                    last = new BatchLines.End(ReplyCode.SYNTAX_ERROR, invalid.message());
                    return false;
                }
                String text = ((LineDecoder.Line) line).text();
                if (!text.isBlank()) {
                    begin(BatchLines.parse(text));
                }
            }
            return false;
        } finally {
            in.compact();
        }
    }

    /** Selector: a batch line parsed; an item is now pending. */
    private void begin(BatchLines.Parsed parsed) {
        if (parsed instanceof BatchLines.End end) {
            last = end;
            return;
        }
        DataItem item = (DataItem) parsed;
        if (!item.download && item.reply == null) {
            if (InlineBlobs.fits(item.size)) {
                item.incoming = Incoming.inMemory(item.size, item.md5 == null, parts.blobs().newBlobId());
                listen(item);
            } else {
                open(item);
            }
        }
        answers.add(item);
        if (!item.download) {
            receiving = item;
        } else if (item.reply == null) {
            checks.offer(item);
        }
    }

    /**
     * Selector: feeds {@code item} what belongs to it in the framing buffer.
     *
     * @return whether its part of the stream is over (it no longer reads)
     */
    private boolean feed(DataItem item) {
        Incoming incoming = item.incoming;
        if (incoming != null && !item.failing && incoming.failure() != null) {
            // A lane failed: the rest of a batch's file is dropped; a ticket's connection stops reading.
            item.failing = true;
            if (ticketItem == null) {
                item.dropping = incoming.remaining(item.size - item.offset);
                item.dropTrailer = item.md5 == null;
            }
        }
        if (incoming != null && !item.failing) {
            incoming.take(in);
            if (incoming.receiving()) {
                return false;
            }
        } else if (!drop(item)) {
            return false;
        }
        receiving = null;
        if (incoming != null) {
            checks.offer(item);
        }
        return true;
    }

    /** Selector: reads and drops a refused upload's bytes, then its trailer line. Returns whether all are gone. */
    private boolean drop(DataItem item) {
        int n = (int) Math.min(in.remaining(), item.dropping);
        in.position(in.position() + n);
        item.dropping -= n;
        if (item.dropping == 0 && item.dropTrailer && decoder.next(in) != null) {
            item.dropTrailer = false; // the trailer line, never looked at
        }
        return item.dropping == 0 && !item.dropTrailer;
    }

    /** Selector: the peer's output ended and all it sent is framed. */
    private void endOfStream() {
        if (receiving != null) {
            Incoming incoming = receiving.incoming;
            if (incoming != null && !opening) {
                incoming.ended(); // a trailer still due is missing: answered 501, the bytes kept
            }
            if (incoming != null && !opening && !incoming.receiving()) {
                checks.offer(receiving);
            } else {
                // A file cut short is not answered; a big one's bytes are kept.
                answers.dropLast();
                if (incoming != null && !opening) {
                    abort(receiving);
                }
            }
            receiving = null;
        }
        if (ticketItem == null) {
            last = new BatchLines.End(ReplyCode.CLOSING, "end of stream");
        }
    }

    // ---- uploads ----

    /** Selector: a worker checks where a big file may go and opens its partial file; its bytes wait. */
    private void open(DataItem item) {
        opening = true;
        try {
            parts.pools().workers().execute(() -> {
                Incoming incoming = null;
                Reply refusal = null;
                try {
                    // Before any byte is kept: the rule UPLOAD applies, so the refusals read the same.
                    parts.admission().admit(user.id(), item.path, item.size, item.overwrite);
                    incoming = Incoming.forBatch(parts, user.id(), item);
                    if (incoming == null) {
                        refusal = Reply.of(ReplyCode.FILE_BUSY, "an upload of " + item.path + " is already in progress");
                    }
                } catch (Exception e) {
                    refusal = ErrorReplies.toReply("UPLOAD", e);
                }
                Incoming opened = incoming;
                Reply refused = refusal;
                link.execute(() -> opened(item, opened, refused));
            });
        } catch (RejectedExecutionException e) {
            opening = false;
            item.refuse(Reply.of(ReplyCode.SERVICE_CLOSING, "the server is stopping; nothing was stored"));
        }
    }

    /** Selector: {@code item}'s partial file is open (or it was refused). */
    private void opened(DataItem item, Incoming incoming, Reply refusal) {
        if (closed || item != receiving) {
            // The peer went away meanwhile: nothing arrived, the kept bytes stay as they were.
            if (incoming != null) {
                incoming.abort();
                keep(incoming);
            }
            return;
        }
        opening = false;
        if (refusal != null) {
            answers.settle(item, refusal, null);
            item.refuse(refusal);
        } else {
            item.incoming = incoming;
            listen(item);
        }
        process();
    }

    /** Selector: {@code item}'s lanes report here after each chunk. */
    private void listen(DataItem item) {
        item.incoming.start(link::execute, () -> lanesMoved(item));
    }

    /** Selector: a lane of {@code item} finished a chunk: a buffer may be free, or the file ready to check. */
    private void lanesMoved(DataItem item) {
        Incoming incoming = item.incoming;
        if (incoming.aborted()) {
            keep(incoming);
            return;
        }
        if (closed) {
            checks.dispatch(); // files sent whole are still committed
            return;
        }
        if (item == receiving) {
            incoming.pass();
        }
        process();
    }

    /** Selector: the peer went away in the middle of {@code item}'s bytes. */
    private void abort(DataItem item) {
        Incoming incoming = item.incoming;
        incoming.abort();
        if (incoming.inMemory()) {
            incoming.release();
            item.log("upload interrupted verified=no (a small file: nothing kept) user=" + user.name(), incoming.received());
            return;
        }
        item.log("upload interrupted verified=no (kept for resume) user=" + user.name(), incoming.received());
        keep(incoming);
    }

    /** Selector, after an abort: once the lanes are done, a worker keeps what arrived for resume. */
    private void keep(Incoming incoming) {
        if (!incoming.startKeeping()) {
            return; // the lanes' last chunk comes back here
        }
        ByteBuffer rest = incoming.rest();
        try {
            parts.pools().workers().execute(() -> {
                try {
                    incoming.keepReceived(rest);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "could not keep a partial upload of user " + user.name(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // The server is stopping: the file stays as written, and resumes after the restart.
            incoming.closeQuietly();
            incoming.release();
        }
    }

    // ---- answers ----

    @Override
    public void settle(DataItem item, Reply reply, Body body) {
        if (closed) {
            if (body != null) {
                body.close();
            }
            return;
        }
        answers.settle(item, reply, body);
    }

    @Override
    public void settled() {
        process();
    }

    /** Selector: writes the answers next in order, starts sending a file, or ends the connection. */
    private void answer() {
        if (closed || released) {
            return;
        }
        if (sender == null) {
            DataAnswers.Ready ready = answers.takeReady(receiving);
            if (ready.bytes() != null) {
                answers.backlogged(!link.write(ready.bytes()));
            }
            if (ready.file() != null) {
                send(ready.file());
            }
        }
        if (sender == null && answers.isEmpty() && (last != null || ticketItem != null)) {
            finish();
            return;
        }
        link.interestChanged();
    }

    /** Selector: sends {@code item}'s file after its line, once the connection's queue is written. */
    private void send(DataItem item) {
        sender = new FileSender((Body.FileRange) item.body, link, new FileSender.Done() {
            @Override
            public void sent(long bytes) {
                sender = null;
                item.log("download sent verified=by-client user=" + user.name(), bytes);
                process();
            }

            @Override
            public void failed(IOException failure) {
                link.abort(failure.getMessage());
            }
        });
    }

    private void finish() {
        release();
        if (ticketItem != null) {
            if (ticketItem.reply == null) {
                link.abort("the file was cut short"); // not reached: a cut ticket upload closes the connection first
            } else {
                link.finish(ticketItem.reply);
            }
            return;
        }
        LOG.log(System.Logger.Level.INFO, () -> "batch user=" + user.name() + " " + answers.summary());
        link.finish(Reply.of(last.code(), last.text() + "; end of batch: " + answers.summary()));
    }

    private void release() {
        if (!released) {
            released = true;
            onEnd.run();
        }
    }
}
