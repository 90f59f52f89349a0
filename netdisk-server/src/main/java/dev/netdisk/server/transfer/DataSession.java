package dev.netdisk.server.transfer;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.User;
import dev.netdisk.server.crypt.IntegrityException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;

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

    private static final int READ_BYTES = 64 * 1024; // the framing buffer: many small files per read

    private final TransferParts parts;
    private final User user;
    private final Runnable onEnd;
    /** The ticket's one file, or null on a batch connection, where the client names each file. */
    private final DataItem ticketItem;
    private final LineDecoder decoder = new LineDecoder(BatchLines.MAX_LINE_BYTES);
    private final ByteBuffer in = ByteBuffer.allocate(READ_BYTES);
    private final DataAnswers answers = new DataAnswers();
    private DataChecks checks;
    private Uploads uploads;
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
        return new DataSession(parts, ticket.user(), DataItem.ofTicket(parts, ticket), onEnd);
    }

    /**
     * The download of {@code ticket}: reads a small file's bytes, or opens the blob. Blocking: a worker.
     *
     * @throws java.nio.file.NoSuchFileException when the blob is gone (replaced or deleted since the ticket)
     */
    public static DataSession download(TransferParts parts, Ticket.Download ticket, Runnable onEnd)
            throws IOException, SQLException {
        return new DataSession(parts, ticket.user(), DataItem.ofTicket(parts, ticket), onEnd);
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
    public boolean takesLastLine() {
        return ticketItem != null && !ticketItem.download;
    }

    @Override
    public boolean countsAsUpload() {
        return ticketItem == null || !ticketItem.download;
    }

    @Override
    public void start(DataLink dataLink, ByteBuffer leftover) {
        this.link = dataLink;
        this.checks = new DataChecks(parts, user, dataLink, this);
        this.uploads = new Uploads(parts, user, dataLink, checks, answers, this::process, ticketItem != null);
        in.put(leftover); // at most the connection's input buffer, smaller than ours
        if (ticketItem != null) {
            answers.add(ticketItem);
            if (!ticketItem.download) {
                uploads.receive(ticketItem);
            }
        }
        process();
    }

    @Override
    public boolean wantsRead() {
        if (closed || ended) {
            return false;
        }
        if (uploads.receiving() != null) {
            // Limits stop new files, never the bytes of the one arriving; its lanes do.
            return uploads.wantsRead();
        }
        if (ticketItem != null) {
            return ticketItem.download; // reads and drops what a download's peer sends, to see its end
        }
        return last == null && !answers.full();
    }

    @Override
    public void onReadable() throws IOException {
        int n;
        Incoming direct = in.position() == 0 ? uploads.direct() : null;
        if (direct != null) {
            n = direct.read(link.channel()); // a big file's bytes, straight into its lanes' buffers
            if (n > 0) {
                direct.pass();
            }
        } else {
            n = link.channel().read(in);
        }
        if (n < 0) {
            DataItem cut = uploads.receiving();
            if (ticketItem != null && cut != null && cut.incoming != null && !cut.incoming.allBytesIn()) {
                // The connection closes, and onClosed keeps the bytes for resume.
                throw new IOException("client closed the data connection after "
                        + (cut.offset + cut.incoming.received()) + " of " + cut.size + " bytes");
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
        if (link == null) {
            // Closed before it started: the ticket's file was opened for nothing.
            if (ticketItem.body != null) {
                ticketItem.body.close();
            } else {
                Uploads.abandon(parts, user, ticketItem);
            }
        } else {
            uploads.closed();
        }
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
                if (uploads.receiving() != null) {
                    if (!uploads.feed(in, decoder)) {
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
        if (!item.download) {
            uploads.begin(item); // before it is counted: a small file holds its bytes
        }
        answers.add(item);
        if (item.download && item.reply == null) {
            checks.offer(item);
        }
    }

    /** Selector: the peer's output ended and all it sent is framed. */
    private void endOfStream() {
        uploads.ended();
        if (ticketItem == null) {
            last = new BatchLines.End(ReplyCode.CLOSING, "end of stream");
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
            DataAnswers.Ready ready = answers.takeReady(uploads.receiving());
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
                if (failure instanceof IntegrityException) {
                    // The bytes before the bad segment went out; the client sees the stream cut
                    // short and no 226 (docs/PROTOCOL.md, DATA), and keeps nothing wrong.
                    Downloads.logBroken(item.path, ((Body.FileRange) item.body).plaintext().blobId(), failure);
                }
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
