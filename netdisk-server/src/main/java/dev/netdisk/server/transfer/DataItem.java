package dev.netdisk.server.transfer;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Node;
import java.io.IOException;
import java.sql.SQLException;

/**
 * One file on a data connection ({@link DataSession}), from the line that names it (or the ticket
 * that stands for the line) until its answer is written: an upload with the bytes that follow it,
 * or a download with the bytes that follow its answer. Its fields are the selector thread's, except
 * that the worker checking it ({@link DataChecks}) reads what the line gave and the received bytes.
 */
final class DataItem implements BatchLines.Parsed {

    private static final System.Logger LOG = System.getLogger(DataSession.class.getName());

    final boolean download;
    /** The path, absolute; null when the line's path was refused. */
    final RemotePath path;
    /** An upload's declared size in bytes; -1 for a download. */
    final long size;
    /** An upload's MD5 from its line or ticket, lower case; null when it follows the bytes as a trailer, or refused. */
    final String md5;
    final boolean overwrite;
    /** An upload's modification time from {@code mtime=}, milliseconds; null: the time of its commit. */
    Long mtimeMillis;
    /** Where the bytes start: a download's requested offset, a ticket upload's resume offset; 0 otherwise. */
    final long offset;
    /** An upload's receiving side, once it may receive; null for a download and while refused or opening. */
    Incoming incoming;
    /** An upload's bytes still to read and drop (a refused upload), then its trailer line when deferred. */
    long dropping;
    /** A refused upload whose dropped bytes are followed by a trailer line, still to skip. */
    boolean dropTrailer;
    /** A lane failed while the bytes arrived: the rest is dropped, and the check answers the failure. */
    boolean failing;
    /** A download's bytes once looked up: in memory, or a range of the blob file; null until then. */
    Body body;
    /** The answer, once known; a refusal from the line itself is known at once. */
    Reply reply;
    /** The answer's line went out already (a ticket's transfer: the {@code 150} was it). */
    boolean answered;
    /** An unkept upload's ticket row reserves its size ({@code Tickets.issue}): ended at its commit or refusal. */
    boolean reserved;
    private final long startNanos = System.nanoTime();

    private DataItem(boolean download, RemotePath path, long size, String md5, boolean overwrite, long offset,
                     Reply refusal) {
        this.download = download;
        this.path = path;
        this.size = size;
        this.md5 = md5;
        this.overwrite = overwrite;
        this.offset = offset;
        this.reply = refusal;
    }

    /**
     * An upload of {@code size} bytes; with a {@code refusal} its bytes (and trailer line, for a
     * deferred MD5) are read and dropped.
     *
     * @param md5 lower case, or null when a trailer line follows the bytes
     */
    static DataItem upload(RemotePath path, long size, String md5, boolean overwrite, long offset, Reply refusal) {
        DataItem item = new DataItem(false, path, size, md5, overwrite, offset, refusal);
        if (refusal != null) {
            item.refuse(refusal);
        }
        return item;
    }

    static DataItem download(RemotePath path, long offset, Reply refusal) {
        return new DataItem(true, path, -1, null, false, offset, refusal);
    }

    /** The one item of an upload ticket: its 150 stands for its line, its outcome is the final reply. Blocking: a worker. */
    static DataItem ofTicket(TransferParts parts, Ticket.Upload ticket) throws IOException {
        DataItem item = upload(ticket.path(), ticket.size(), ticket.md5(), ticket.overwrite(), ticket.offset(), null);
        item.mtimeMillis = ticket.mtimeMillis();
        item.incoming = Incoming.forTicket(parts, ticket);
        item.answered = true;
        item.reserved = !ticket.partial().kept();
        return item;
    }

    /**
     * The one item of a download ticket, its body open (a small file's bytes read, or the blob
     * opened), its 150 as its answer. Blocking: a worker.
     *
     * @throws IntegrityException a small file's stored bytes failed their check (logged here)
     */
    static DataItem ofTicket(TransferParts parts, Ticket.Download ticket) throws IOException, SQLException {
        Node node = ticket.node();
        DataItem item = download(ticket.path(), ticket.offset(), null);
        try {
            byte[] inline = InlineBlobs.fits(node.size()) ? parts.tree().inlineContent(node.blobId()).orElse(null) : null;
            item.body = Downloads.body(parts, node, inline, ticket.offset());
        } catch (IntegrityException e) {
            Downloads.logBroken(ticket.path(), node.blobId(), e);
            throw e;
        }
        item.answered = true;
        item.reply = Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + node.size() + " md5=" + node.md5() + " sent "
                + ticket.path());
        return item;
    }

    /** Refuses an upload before its bytes: they are dropped as they arrive. */
    void refuse(Reply refusal) {
        reply = refusal;
        dropping = size - offset;
        dropTrailer = md5 == null;
    }

    /** Logs {@code what} happened to this file after {@code bytes} moved, with the time since its line and the rate. */
    void log(String what, long bytes) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        LOG.log(System.Logger.Level.INFO, () -> String.format("%s path=%s bytes=%d seconds=%.3f MiB/s=%.1f", what,
                path, bytes, seconds, bytes / 1048576.0 / Math.max(seconds, 1e-9)));
    }

    /** Whether this is an upload's bytes received into memory (a small file), checked with others on a worker. */
    boolean inMemory() {
        return incoming != null && incoming.inMemory();
    }
}
