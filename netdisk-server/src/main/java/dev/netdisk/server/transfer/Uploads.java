package dev.netdisk.server.transfer;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.User;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * The receiving side of a data connection ({@link DataSession}): the one upload whose bytes (and
 * trailer) are arriving, from its line until its part of the stream is over, and what happens to
 * uploads the peer cuts short.
 *
 * <ul>
 *   <li>A small file ({@link InlineBlobs#fits}) is received into memory at once.
 *   <li>A bigger file of a batch waits while a worker checks it ({@link UploadAdmission#admit}, the
 *       rule {@code UPLOAD} applies) and opens its partial file; a ticket's is opened already.
 *   <li>A refused upload's bytes (and trailer) are read and dropped; so is the rest of one whose
 *       write failed, on a batch (a ticket's connection stops reading instead).
 *   <li>Once its part of the stream is over, the upload goes to {@link DataChecks}; cut short, a big
 *       file's bytes are kept for resume once its lanes are done.
 * </ul>
 *
 * <p>Selector thread only, but for the workers it starts.
 */
final class Uploads {

    private static final System.Logger LOG = System.getLogger(DataSession.class.getName());

    private final TransferParts parts;
    private final User user;
    private final DataLink link;
    private final DataChecks checks;
    private final DataAnswers answers;
    /** Frames and answers again: called when an upload's state changed off the stream. */
    private final Runnable process;
    /** Whether this is a ticket's connection: its one upload is not followed by anything. */
    private final boolean ticket;
    /** The upload whose bytes (or trailer) are arriving, or null between items. */
    private DataItem receiving;
    /** A worker is opening {@link #receiving}'s partial file: its bytes wait. */
    private boolean opening;
    private boolean closed;

    Uploads(TransferParts parts, User user, DataLink link, DataChecks checks, DataAnswers answers, Runnable process,
            boolean ticket) {
        this.parts = parts;
        this.user = user;
        this.link = link;
        this.checks = checks;
        this.answers = answers;
        this.process = process;
        this.ticket = ticket;
    }

    /** The upload whose bytes are arriving (not answered before they are in), or null. */
    DataItem receiving() {
        return receiving;
    }

    /** A ticket's upload, opened already ({@link Incoming#forTicket}). */
    void receive(DataItem item) {
        receiving = item;
        listen(item);
    }

    /** A batch's upload line: received into memory, or opened by a worker first; a refused one is dropped. */
    void begin(DataItem item) {
        if (item.reply == null) {
            if (InlineBlobs.fits(item.size)) {
                item.incoming = Incoming.inMemory(item.size, item.md5 == null, parts.blobs().newBlobId());
                listen(item);
            } else {
                open(item);
            }
        }
        receiving = item;
    }

    /** Whether the socket should be read for the upload: not while it is opened, or its lanes are all busy. */
    boolean wantsRead() {
        if (opening) {
            return false;
        }
        Incoming incoming = receiving.incoming;
        return incoming == null || receiving.failing || !incoming.waitingForLanes();
    }

    /** The upload that may read straight from the socket now (the framing buffer being empty), or null. */
    Incoming direct() {
        if (receiving == null || opening || receiving.failing || receiving.incoming == null) {
            return null;
        }
        return receiving.incoming.canReadDirect() ? receiving.incoming : null;
    }

    /**
     * Feeds the upload what belongs to it in {@code in}.
     *
     * @return whether its part of the stream is over (the next line may be framed)
     */
    boolean feed(ByteBuffer in, LineDecoder decoder) {
        if (opening) {
            return false;
        }
        DataItem item = receiving;
        Incoming incoming = item.incoming;
        if (incoming != null && !item.failing && incoming.failure() != null) {
            item.failing = true;
            if (!ticket) {
                item.dropping = incoming.remaining(item.size - item.offset);
                item.dropTrailer = item.md5 == null;
            }
        }
        if (incoming != null && !item.failing) {
            incoming.take(in);
            if (incoming.receiving()) {
                return false;
            }
        } else if (!drop(item, in, decoder)) {
            return false;
        }
        receiving = null;
        if (incoming != null) {
            checks.offer(item);
        }
        return true;
    }

    /** Reads and drops a refused upload's bytes, then its trailer line. Returns whether all are gone. */
    private static boolean drop(DataItem item, ByteBuffer in, LineDecoder decoder) {
        int n = (int) Math.min(in.remaining(), item.dropping);
        in.position(in.position() + n);
        item.dropping -= n;
        if (item.dropping == 0 && item.dropTrailer && decoder.next(in) != null) {
            item.dropTrailer = false; // the trailer line, never looked at
        }
        return item.dropping == 0 && !item.dropTrailer;
    }

    /**
     * The peer's output ended and all it sent is framed: a trailer still due is answered
     * {@code 501} (the bytes kept); a file cut short is not answered, and a big one's bytes are kept.
     */
    void ended() {
        if (receiving == null) {
            return;
        }
        Incoming incoming = opening ? null : receiving.incoming;
        if (incoming != null) {
            incoming.ended();
        }
        if (incoming != null && !incoming.receiving()) {
            checks.offer(receiving);
        } else {
            answers.dropLast();
            if (incoming != null) {
                abort(receiving);
            }
        }
        receiving = null;
    }

    /** A ticket's upload whose connection closed before it started: its partial file was opened for nothing. */
    static void abandon(TransferParts parts, User user, DataItem item) {
        Uploads none = new Uploads(parts, user, null, null, null, () -> { }, true);
        none.closed = true;
        none.abort(item);
    }

    /** The connection closed: the upload arriving is cut short. */
    void closed() {
        closed = true;
        if (receiving != null && receiving.incoming != null && !opening) {
            abort(receiving);
        }
        receiving = null;
    }

    /** A worker checks where a big file may go and opens its partial file; its bytes wait. */
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

    /** {@code item}'s partial file is open (or it was refused). */
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
        process.run();
    }

    /** {@code item}'s lanes report here after each chunk. */
    private void listen(DataItem item) {
        item.incoming.start(link::execute, () -> lanesMoved(item));
    }

    /** A lane of {@code item} finished a chunk: a buffer may be free, or the file ready to check. */
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
        process.run();
    }

    /** The peer went away in the middle of {@code item}'s bytes. */
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

    /** After an abort: once the lanes are done, a worker keeps what arrived for resume. */
    private void keep(Incoming incoming) {
        if (!incoming.startKeeping()) {
            return; // the lanes' last chunk comes back here
        }
        ByteBuffer rest = incoming.rest();
        try {
            parts.pools().workers().execute(() -> {
                try {
                    incoming.keepReceived(rest);
                } catch (IOException | java.sql.SQLException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not keep a partial upload of user " + user.name(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // The server is stopping: the file stays as written, and resumes after the restart.
            incoming.closeQuietly();
            incoming.release();
        }
    }
}
