package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Reply;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.BlobUpload;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.PartialUploads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * The receiving side of one upload on a data connection ({@link DataSession}): its bytes go into
 * an {@link UploadReceiver} (in memory for a small file, streamed through the hash and write lanes
 * into its partial file otherwise), then, when the MD5 was deferred, its trailer line into a
 * {@link ChecksumTrailer}. What is kept between attempts is its {@link KeptBytes}.
 *
 * <p>Threads: the selector receives ({@link #take}, {@link #read}, {@link #pass}); once
 * {@link #readyToCheck}, a worker verifies and commits ({@link DataChecks}) with {@link #finish},
 * {@link #keep}, {@link #discard} and {@link #release}.
 */
final class Incoming {

    private final UploadReceiver receiver;
    private final KeptBytes kept;
    /** The trailer line to read after the bytes; null when the MD5 came with the line or ticket. */
    private final ChecksumTrailer trailer;
    private final String blobId;
    private final long partialId;
    /** Holds the partial's upload lock ({@link Tickets#beginUpload}); null in memory. */
    private final Tickets tickets;
    private boolean aborted;
    private boolean keeping;
    private boolean released;

    private Incoming(UploadReceiver receiver, KeptBytes kept, boolean deferred, String blobId, long partialId,
                     Tickets tickets) {
        this.receiver = receiver;
        this.kept = kept;
        this.trailer = deferred ? new ChecksumTrailer(kept.note()) : null;
        this.blobId = blobId;
        this.partialId = partialId;
        this.tickets = tickets;
    }

    /** A small file ({@link InlineBlobs#fits}), received into memory and stored in the database as {@code blobId}. */
    static Incoming inMemory(long size, boolean deferred, String blobId) {
        return new Incoming(UploadReceiver.inMemory(size), KeptBytes.none(), deferred, blobId,
                PartialUploads.NOT_KEPT, null);
    }

    /**
     * The upload of {@code ticket}: in memory when it is not kept, else streamed into its partial
     * file from the ticket's offset (the kept bytes hashed first). Blocking: a worker. The caller
     * holds {@link Tickets#beginUpload} for a kept partial; {@link #release} lets it go.
     *
     * @throws IOException when the partial file cannot be opened or read
     */
    static Incoming forTicket(TransferParts parts, Ticket.Upload ticket) throws IOException {
        PartialUploads.Partial partial = ticket.partial();
        if (!partial.kept()) {
            return inMemory(ticket.size(), ticket.md5() == null, partial.blobId());
        }
        return streamed(parts, partial, ticket.offset(), ticket.size() - ticket.offset(), ticket.md5() == null);
    }

    /**
     * A batch's upload of a file too big to keep in memory: its partial (found by path, size and
     * MD5, or made) is written from the start, since a batch never resumes. Blocking: a worker.
     *
     * @return the receiving side, or null when another connection is uploading the same file
     * @throws IOException when the partial file cannot be opened
     */
    static Incoming forBatch(TransferParts parts, long userId, DataItem item) throws IOException, SQLException {
        String key = item.md5 == null ? PartialUploads.DEFERRED_MD5 : item.md5;
        PartialUploads partials = parts.partials();
        PartialUploads.Partial partial = partials.find(userId, item.path, item.size, key).orElse(null);
        if (partial == null) {
            partial = partials.create(userId, item.path, item.size, key, parts.blobs().newBlobId());
        } else {
            partials.touch(partial.id());
        }
        if (!parts.tickets().beginUpload(partial.blobId())) {
            return null;
        }
        try {
            return streamed(parts, partial, 0, item.size, item.md5 == null);
        } catch (IOException | RuntimeException e) {
            parts.tickets().endUpload(partial.blobId());
            throw e;
        }
    }

    private static Incoming streamed(TransferParts parts, PartialUploads.Partial partial, long offset, long expected,
                                     boolean deferred) throws IOException {
        DataKey key;
        try {
            key = parts.tree().keys().forUpload(partial.blobId());
        } catch (SQLException e) {
            throw new IOException("cannot find the upload's data key: " + e.getMessage(), e);
        }
        BlobUpload upload = parts.blobs().openUpload(partial.blobId(), key, offset, offset + expected);
        UploadReceiver receiver = UploadReceiver.streamed(upload, offset, expected, parts.pools().forBytes(expected));
        return new Incoming(receiver, KeptBytes.in(parts.partials(), partial, upload), deferred,
                partial.blobId(), partial.id(), parts.tickets());
    }

    /** Selector: lanes report to {@code selector}; {@code onProgress} runs there after each chunk. */
    void start(Executor selector, Runnable onProgress) {
        receiver.start(selector, onProgress, this::release);
    }

    boolean inMemory() {
        return receiver.inMemory();
    }

    /** Whether bytes or the trailer line are still to be read. */
    boolean receiving() {
        return !aborted && (!receiver.allIn() || trailerPending()) && receiver.failure() == null;
    }

    private boolean trailerPending() {
        return trailer != null && trailer.pending();
    }

    /**
     * Takes what belongs to this upload from {@code from}: bytes while a buffer has room (handing
     * full ones to the lanes), then the trailer line.
     */
    void take(ByteBuffer from) {
        while (from.hasRemaining() && receiver.canRead()) {
            receiver.take(from);
            receiver.pass();
        }
        if (receiver.allIn() && trailerPending()) {
            trailer.take(from);
        }
    }

    /** Whether every byte of the file has arrived (the trailer may still be due). */
    boolean allBytesIn() {
        return receiver.allIn();
    }

    /** The bytes of the file still to arrive on this connection. */
    long remaining(long expected) {
        return expected - receiver.received();
    }

    /** Whether the bytes may be read straight from the socket into a free buffer now (streamed only). */
    boolean canReadDirect() {
        return !inMemory() && receiver.canRead();
    }

    /** Whether a streamed upload waits for its lanes to free a buffer. */
    boolean waitingForLanes() {
        return !inMemory() && !receiver.allIn() && !receiver.canRead();
    }

    /** Reads bytes of the file straight from {@code channel}; -1 at the end of the stream. */
    int read(ReadableByteChannel channel) throws IOException {
        return receiver.read(channel);
    }

    /** Selector: hands full buffers to the lanes. */
    void pass() {
        receiver.pass();
    }

    /** Bytes received so far (of those sent on this connection). */
    long received() {
        return receiver.received();
    }

    /** The stream ended: a trailer line still pending becomes a {@code 501}. */
    void ended() {
        if (receiver.allIn() && trailer != null) {
            trailer.end();
        }
    }

    /**
     * Whether a worker may verify and commit it: every byte in and written, the trailer read (or
     * refused); or a lane failed and is done.
     */
    boolean readyToCheck() {
        return !aborted && !receiving() && receiver.idle() && (receiver.drained() || receiver.failure() != null);
    }

    /** The MD5 the trailer gave, or null. */
    String trailerMd5() {
        return trailer == null ? null : trailer.md5();
    }

    /** A missing or malformed trailer, or null. */
    Reply trailerProblem() {
        return trailer == null ? null : trailer.problem();
    }

    /** The first failure of a lane (the file has a hole there), or null. */
    IOException failure() {
        return receiver.failure();
    }

    /** What a refusal says about the bytes received. */
    String note() {
        return kept.note();
    }

    String blobId() {
        return blobId;
    }

    long partialId() {
        return partialId;
    }

    /** The stored bytes, for the commit; null in memory. */
    BlobUpload upload() {
        return kept.upload();
    }

    /** Worker: the MD5 of the whole file, and a small file's bytes. */
    UploadReceiver.Received finish() {
        return receiver.finish();
    }

    /** Worker: the bytes are kept for resume. */
    void keep() throws IOException, SQLException {
        kept.keep();
    }

    /** Worker: the bytes are no use (a mismatch, a failed write): the partial file and its row go. */
    void discard() throws IOException, SQLException {
        kept.discard();
    }

    /** The server is stopping: the file stays as written, for resume after the restart. */
    void closeQuietly() {
        kept.closeQuietly();
    }

    /** Selector: the peer went away mid-file. No buffer is refilled; {@link #abortSettled} tells when to keep. */
    void abort() {
        aborted = true;
        receiver.stop();
    }

    boolean aborted() {
        return aborted;
    }

    /**
     * After {@link #abort}: whether the lanes are done, so what arrived can be kept
     * ({@link #keepReceived}); true once only.
     */
    boolean startKeeping() {
        if (keeping || !receiver.idle()) {
            return false;
        }
        keeping = true;
        return true;
    }

    /**
     * Worker, after {@link #abort} once settled: writes the bytes still in the receive buffer and keeps
     * the file for resume (a write failure discards it: a file with a hole is no use to resume from).
     *
     * @param rest {@link #rest}, taken on the selector
     */
    void keepReceived(ByteBuffer rest) throws IOException, SQLException {
        try {
            if (receiver.failure() != null) {
                discard();
                return;
            }
            IOException error = receiver.writeKept(rest);
            if (error != null) {
                throw error;
            }
            keep();
        } finally {
            release();
        }
    }

    /** Selector, after {@link #abort} once settled: the bytes received and not yet handed to a lane. */
    ByteBuffer rest() {
        return receiver.rest();
    }

    /** Lets go of the receive buffers and the upload lock (any thread; once). */
    synchronized void release() {
        if (!released) {
            released = true;
            receiver.close();
            if (tickets != null) {
                tickets.endUpload(blobId);
            }
        }
    }
}
