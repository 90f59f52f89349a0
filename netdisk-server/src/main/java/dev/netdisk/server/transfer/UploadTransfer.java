package dev.netdisk.server.transfer;

import dev.netdisk.protocol.PartialFileWriter;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Receives the bytes of one upload on a data connection, hashing them on the way, and makes the
 * file visible only once every byte is durable and the MD5 matches ({@code docs/PROTOCOL.md}
 * section 6).
 *
 * <p>The selector thread reads the socket into a ring of up to {@link #CHUNKS} buffers. Each full
 * buffer goes to two lanes that run at the same time on the pool
 * {@link TransferPools#forBytes} picks (bulk for a big upload): one hashes the
 * chunks in order, the other appends them to the file in order ({@link PartialFileWriter}: direct
 * I/O for a big upload); a buffer is refilled once both are done with it. So network, MD5 and disk
 * overlap with each other, and the selector never waits for disk or hashing. When every buffer is
 * busy the connection stops reading: the client's sends slow down to the slower lane's pace (TCP
 * flow control), and memory stays at the ring per upload (a small upload gets one buffer of its
 * size).
 *
 * <p>When the ticket has no MD5 (the client defers it), the bytes are followed by one trailer line
 * {@code MD5 <32 hex digits>} that the selector reads into a small buffer; the file is compared
 * with it once every byte is written.
 *
 * <p>States: receiving -> (deferred: awaiting trailer ->) (all bytes written) finishing -> closed;
 * or receiving -> aborted when the peer goes away, which keeps the bytes received for resume. A
 * missing or malformed trailer also keeps the bytes, and answers {@code 501}.
 *
 * <p>A small file ({@link InlineBlobs}: the ticket's upload is not kept) skips the file and the
 * lanes: its bytes go into one buffer of its size, are hashed on a worker once all are in, and go
 * to {@link UploadCommits} to be stored in the database. Nothing of it is kept when the peer goes
 * away or the trailer is bad.
 */
public final class UploadTransfer implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(UploadTransfer.class.getName());

    /** Size of each receive buffer, in bytes. */
    /** The most receive buffers one upload uses. */
    static final int CHUNKS = 4;
    /** The longest trailer line accepted, in bytes, line end included. */
    static final int TRAILER_BYTES = 128;
    private static final Pattern TRAILER =
            Pattern.compile("MD5 ([0-9a-fA-F]{32})\\r?", Pattern.CASE_INSENSITIVE);

    private final BlobStore blobs;
    private final PartialUploads partials;
    private final Tickets tickets;
    private final UploadCommits commits;
    private final TransferPools pools;
    private final Ticket.Upload ticket;
    /** The partial file and its writer; both null for a small file, held in {@link #filling}. */
    private final FileChannel file;
    private final PartialFileWriter writer;
    private final MessageDigest md5;
    private final long expected;
    private final long startNanos = System.nanoTime();

    private DataLink link;
    /** The buffer the selector reads into; null while every buffer is in a lane. */
    private ByteBuffer filling;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int allocated;
    private final Lane hashLane = new Lane(this::hashChunk);
    private final Lane writeLane = new Lane(this::writeChunk);
    /** The first failure of a lane; the upload fails once both lanes are idle. */
    private IOException laneError;
    private boolean keeping;
    private long received;
    private boolean finishing;
    private boolean aborted;
    private boolean released;
    private final Runnable onEnd;
    /** The MD5 the client claims: from the ticket, or (deferred) from the trailer once read; null until known. */
    private String claimedMd5;
    /** Deferred MD5 only: the trailer line as it arrives (selector thread). */
    private ByteBuffer trailer;
    /** A missing or malformed trailer: the reply to finish with, once the bytes are kept. */
    private Reply trailerProblem;

    private UploadTransfer(BlobStore blobs, PartialUploads partials, Tickets tickets, UploadCommits commits,
                           TransferPools pools, Ticket.Upload ticket, FileChannel file, PartialFileWriter writer,
                           MessageDigest md5, Runnable onEnd) {
        this.blobs = blobs;
        this.partials = partials;
        this.tickets = tickets;
        this.commits = commits;
        this.pools = pools;
        this.onEnd = onEnd;
        this.ticket = ticket;
        this.file = file;
        this.writer = writer;
        this.md5 = md5;
        this.expected = ticket.size() - ticket.offset();
        this.claimedMd5 = ticket.md5();
        this.trailer = ticket.md5() == null ? ByteBuffer.allocate(TRAILER_BYTES) : null;
        this.filling = newBuffer();
    }

    /** A receive buffer: the whole upload's size when that is less than a chunk. */
    private ByteBuffer newBuffer() {
        allocated++;
        int capacity = (int) Math.min(ProtocolLimits.CHUNK_BYTES, Math.max(expected, 1));
        return writer == null ? ByteBuffer.allocate(capacity) : writer.allocate(capacity);
    }

    /** Whether this is a small file, received into memory and stored in the database. */
    private boolean inline() {
        return file == null;
    }

    /** What a reply that ends the upload early says about the bytes received. */
    private String keptNote() {
        return inline() ? "nothing was kept (a small file is sent whole again)" : "the bytes are kept for resume";
    }

    /**
     * Opens the kept bytes of {@code ticket} and hashes the part already received; for a small
     * file (a ticket whose upload is not kept) opens nothing and receives into memory. Blocking:
     * run on a worker. The caller must hold {@link Tickets#beginUpload} for the ticket's partial.
     *
     * @param onEnd run once when the transfer ends, however it ends
     *
     * @throws IOException when the partial file cannot be opened or read
     */
    public static UploadTransfer open(BlobStore blobs, PartialUploads partials, Tickets tickets, UploadCommits commits,
                                      TransferPools pools, Ticket.Upload ticket, Runnable onEnd) throws IOException {
        if (!ticket.partial().kept()) {
            return new UploadTransfer(blobs, partials, tickets, commits, pools, ticket, null, null,
                    DigestUtils.getMd5Digest(), onEnd);
        }
        Path path = blobs.partialPath(ticket.partial().blobId());
        FileChannel file = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes());
        try {
            if (file.size() < ticket.offset()) {
                throw new IOException("kept bytes shrank below offset " + ticket.offset());
            }
            file.truncate(ticket.offset());
            MessageDigest md5 = DigestUtils.getMd5Digest();
            // Only a resumed upload has kept bytes to hash: a new one allocates nothing here.
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ProtocolLimits.CHUNK_BYTES, ticket.offset()));
            long position = 0;
            while (position < ticket.offset()) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), ticket.offset() - position));
                int n = file.read(buf, position);
                if (n < 0) {
                    throw new IOException("kept bytes end early at " + position);
                }
                buf.flip();
                md5.update(buf);
                position += n;
            }
            PartialFileWriter writer = PartialFileWriter.open(path, file, ticket.offset(),
                    ticket.size() - ticket.offset(), PartialFileWriter.DIRECT_MIN_BYTES);
            return new UploadTransfer(blobs, partials, tickets, commits, pools, ticket, file, writer, md5, onEnd);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public Reply preliminary() {
        return Reply.of(ReplyCode.FILE_STATUS_OK, "send " + expected + " bytes from offset " + ticket.offset()
                + (trailer != null ? ", then the line MD5 <md5>" : ""));
    }

    @Override
    public void start(DataLink dataLink, ByteBuffer leftover) {
        this.link = dataLink;
        int take = (int) Math.min(leftover.remaining(), expected);
        ByteBuffer slice = leftover.slice();
        slice.limit(take);
        filling.put(slice);
        leftover.position(leftover.position() + take);
        received = take;
        if (received == expected && awaitingTrailer()) {
            int more = Math.min(leftover.remaining(), trailer.remaining());
            ByteBuffer rest = leftover.slice();
            rest.limit(more);
            trailer.put(rest);
            leftover.position(leftover.limit());
            parseTrailer(false);
        }
        advance();
    }

    @Override
    public boolean wantsRead() {
        if (aborted || finishing) {
            return false;
        }
        return received < expected ? filling != null && filling.hasRemaining() : awaitingTrailer();
    }

    /** Whether the bytes are followed by a trailer line that has not been read yet. */
    private boolean awaitingTrailer() {
        return trailer != null && claimedMd5 == null && trailerProblem == null;
    }

    @Override
    public void onReadable() throws IOException {
        if (received == expected) {
            readTrailer();
            advance();
            return;
        }
        if (filling == null) {
            return;
        }
        int room = (int) Math.min(filling.remaining(), expected - received);
        int oldLimit = filling.limit();
        filling.limit(filling.position() + room);
        int n;
        try {
            n = link.channel().read(filling);
        } finally {
            filling.limit(oldLimit);
        }
        if (n < 0) {
            // The peer closed early: the connection closes and onClosed keeps the bytes for resume.
            throw new IOException("client closed the data connection after "
                    + (ticket.offset() + received) + " of " + ticket.size() + " bytes");
        }
        received += n;
        link.counted(n, 0);
        advance();
    }

    /** Selector: reads what has arrived of the trailer line. */
    private void readTrailer() throws IOException {
        if (!awaitingTrailer()) {
            return;
        }
        int n = link.channel().read(trailer);
        if (n > 0) {
            link.counted(n, 0);
        }
        parseTrailer(n < 0);
    }

    /** Selector: sets {@link #claimedMd5} or {@link #trailerProblem} once the trailer line is complete or cannot be. */
    private void parseTrailer(boolean ended) {
        int end = -1;
        for (int i = 0; i < trailer.position(); i++) {
            if (trailer.get(i) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            if (ended) {
                trailerProblem = Reply.of(ReplyCode.ARGUMENT_ERROR, "missing checksum trailer: the connection ended"
                        + " after the bytes without the line MD5 <md5>; " + keptNote());
            } else if (!trailer.hasRemaining()) {
                trailerProblem = Reply.of(ReplyCode.ARGUMENT_ERROR, "bad checksum trailer: no line end within "
                        + TRAILER_BYTES + " bytes after the bytes; expected MD5 <md5>; " + keptNote());
            }
            return;
        }
        String line = new String(trailer.array(), 0, end, StandardCharsets.UTF_8);
        Matcher m = TRAILER.matcher(line);
        if (m.matches()) {
            claimedMd5 = m.group(1).toLowerCase(Locale.ROOT);
        } else {
            trailerProblem = Reply.of(ReplyCode.ARGUMENT_ERROR, "bad checksum trailer: expected MD5 <32 hex digits>,"
                    + " got " + printable(line) + "; " + keptNote());
        }
    }

    /** At most 40 characters of a bad trailer, with anything unprintable as {@code ?}, for a reply. */
    private static String printable(String line) {
        StringBuilder out = new StringBuilder("\"");
        line.codePoints().limit(40).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f || c == 0xfffd ? '?' : c));
        return out.append(line.length() > 40 ? "...\"" : "\"").toString();
    }

    @Override
    public Reply stalledReply(Duration after) {
        String what = received == expected && awaitingTrailer() ? "no checksum trailer" : "no bytes";
        return Reply.of(ReplyCode.SERVICE_CLOSING, "transfer stalled: " + what + " for " + after.toSeconds()
                + " seconds; " + (inline() ? keptNote() : "the bytes received are kept for resume"));
    }

    @Override
    public boolean wantsWrite() {
        return false;
    }

    @Override
    public void onWritable() {
        // An upload only writes its final reply, which the connection's queue carries.
    }

    @Override
    public void onClosed() {
        if (finishing || aborted) {
            return;
        }
        aborted = true;
        advance();
    }

    /**
     * Selector: hands a full buffer (or the one with the last bytes) to both lanes, takes the next
     * free buffer, and finishes (or keeps the bytes, or fails) once the lanes are idle.
     */
    private void advance() {
        if (finishing || keeping) {
            return;
        }
        if (inline()) {
            advanceInline();
            return;
        }
        boolean idle = hashLane.idle() && writeLane.idle();
        if (aborted) {
            if (idle) {
                keeping = true;
                if (laneError != null) {
                    // The file has a hole where a write failed: nothing there is worth resuming from.
                    IOException error = laneError;
                    submit(() -> fail(error), ignored -> { });
                } else {
                    keepReceived();
                }
            }
            return;
        }
        if (laneError != null) {
            if (idle) {
                finishing = true;
                IOException error = laneError;
                submit(() -> fail(error), link::finish);
            }
            link.interestChanged();
            return;
        }
        boolean allIn = received == expected;
        if (filling != null && filling.position() > 0 && (!filling.hasRemaining() || allIn)) {
            ByteBuffer chunk = filling;
            chunk.flip();
            Chunk c = new Chunk(chunk);
            hashLane.offer(c);
            writeLane.offer(c);
            filling = null;
            idle = false;
        }
        if (filling == null && !allIn) {
            filling = free.poll();
            if (filling == null && allocated < CHUNKS) {
                filling = newBuffer();
            }
        }
        if (allIn && idle && (filling == null || filling.position() == 0)) {
            if (trailerProblem != null) {
                finishing = true;
                Reply problem = trailerProblem;
                submit(() -> {
                    keepForResume();
                    return problem;
                }, link::finish);
            } else if (claimedMd5 != null) {
                finishing = true;
                submit(this::complete, reply -> {
                    if (reply != null) {
                        link.finish(reply);
                    }
                });
            }
        }
        link.interestChanged();
    }

    /** Selector, small file: once every byte and the MD5 are in, hash and store it on a worker. */
    private void advanceInline() {
        if (aborted) {
            keeping = true;
            log(System.Logger.Level.INFO, "interrupted verified=no (a small file: nothing kept)");
            release();
            return;
        }
        if (received == expected && trailerProblem != null) {
            finishing = true;
            release();
            link.finish(trailerProblem);
            return;
        }
        if (received == expected && claimedMd5 != null) {
            finishing = true;
            submit(this::complete, reply -> {
                if (reply != null) {
                    link.finish(reply);
                }
            });
        }
        link.interestChanged();
    }

    /** One received buffer on its way through both lanes. */
    private static final class Chunk {
        final ByteBuffer buffer;
        int lanesLeft = 2;

        Chunk(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }

    /**
     * Runs one kind of work on chunks in arrival order, one chunk at a time, on the worker pool.
     * Its state is touched only on the selector thread.
     */
    private final class Lane {
        private final java.util.function.Function<ByteBuffer, IOException> work;
        private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
        private boolean running;

        Lane(java.util.function.Function<ByteBuffer, IOException> work) {
            this.work = work;
        }

        void offer(Chunk chunk) {
            queue.add(chunk);
            pump();
        }

        boolean idle() {
            return !running && queue.isEmpty();
        }

        private void pump() {
            if (running || queue.isEmpty()) {
                return;
            }
            Chunk chunk = queue.poll();
            if (laneError != null) {
                // Failed already: the rest is not worth the work.
                chunkDone(chunk, null);
                pump();
                return;
            }
            running = true;
            ByteBuffer view = chunk.buffer.duplicate();
            submit(pools.forBytes(expected), () -> work.apply(view), error -> {
                running = false;
                chunkDone(chunk, error);
                pump();
                advance();
            });
        }
    }

    /** Selector: a lane is done with a chunk; the buffer is free once both are. */
    private void chunkDone(Chunk chunk, IOException error) {
        if (error != null && laneError == null) {
            laneError = error;
        }
        if (--chunk.lanesLeft == 0) {
            chunk.buffer.clear();
            free.add(chunk.buffer);
            if (filling == null && !aborted && received < expected) {
                filling = free.poll();
            }
        }
    }

    /** Worker (hash lane): feeds one chunk to the MD5. */
    private IOException hashChunk(ByteBuffer chunk) {
        md5.update(chunk);
        return null;
    }

    /** Worker (write lane): appends one chunk to the file. Returns the failure, or null. */
    private IOException writeChunk(ByteBuffer chunk) {
        try {
            writer.append(chunk);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * Worker: every byte is in; verify, then hand the file to {@link UploadCommits}, which makes it
     * durable and visible (grouped with other uploads finishing at once) and then sends the final
     * reply. Returns the reply when there is one at once (a mismatch), or null when handed over.
     */
    private Reply complete() {
        byte[] content = null;
        if (inline()) {
            content = Arrays.copyOf(filling.array(), (int) expected);
            md5.update(content);
        }
        String actual = Hex.encodeHexString(md5.digest());
        String blobId = ticket.partial().blobId();
        long partialId = ticket.partial().id();
        String expectedMd5 = claimedMd5;
        boolean handedOver = false;
        try {
            if (!actual.equals(expectedMd5)) {
                if (!inline()) {
                    file.close();
                    blobs.deletePartial(blobId);
                    partials.delete(partialId);
                }
                log(System.Logger.Level.WARNING, "rejected verified=no (checksum mismatch)");
                return Reply.of(ReplyCode.CHECKSUM_MISMATCH, "checksum mismatch: expected " + expectedMd5
                        + ", received " + actual + "; nothing was stored");
            }
            DataLink started = link;
            commits.commit(new FileTree.NewFile(ticket.user().id(), ticket.path(), ticket.size(), actual,
                    blobId, ticket.overwrite(), partialId, content), file, outcome -> {
                        Reply reply = committed(outcome, actual);
                        release();
                        started.execute(() -> started.finish(reply));
                    });
            handedOver = true;
            return null;
        } catch (RejectedExecutionException e) {
            // The server is stopping: the bytes stay kept, and the upload resumes after the restart.
            try {
                if (!inline()) {
                    file.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            return null;
        } catch (Exception e) {
            return ErrorReplies.toReply("UPLOAD", e);
        } finally {
            if (!handedOver) {
                release();
            }
        }
    }

    /** The final reply for a commit's outcome (any thread). */
    private Reply committed(UploadCommits.Outcome outcome, String actual) {
        if (outcome.failure() != null) {
            return ErrorReplies.toReply("UPLOAD", outcome.failure());
        }
        log(System.Logger.Level.INFO, "stored verified=yes");
        return Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=" + ticket.size() + " md5=" + actual
                + " stored " + ticket.path());
    }

    /** Worker: a write failed; the bytes are discarded so a full disk gets its space back. */
    private Reply fail(IOException error) {
        try {
            if (!inline()) {
                file.close();
                blobs.deletePartial(ticket.partial().blobId());
                partials.delete(ticket.partial().id());
            }
        } catch (Exception e) {
            error.addSuppressed(e);
        } finally {
            release();
        }
        LOG.log(System.Logger.Level.ERROR, "upload of " + ticket.path() + " failed", error);
        return ErrorReplies.toReply("UPLOAD", error);
    }

    /**
     * Selector: the peer went away. The bytes still in the receive buffer were received too: write
     * them before keeping the file, so the resume offset is every byte that arrived.
     */
    private void keepReceived() {
        ByteBuffer rest = filling != null ? filling : ByteBuffer.allocate(0);
        rest.flip();
        submit(() -> {
            IOException error = writeChunk(rest);
            if (error != null) {
                LOG.log(System.Logger.Level.WARNING, "could not write the last bytes of " + ticket.path(), error);
            }
            return keepForResume();
        }, ignored -> { });
    }

    /** Worker: the peer went away; close the file and keep what arrived. */
    private Void keepForResume() {
        try {
            file.close();
            partials.touch(ticket.partial().id());
            log(System.Logger.Level.INFO, "interrupted verified=no (kept for resume)");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not keep partial upload of " + ticket.path(), e);
        } finally {
            release();
        }
        return null;
    }

    private synchronized void release() {
        if (!released) {
            released = true;
            if (writer != null) {
                writer.close();
            }
            tickets.endUpload(ticket.partial().blobId());
            onEnd.run();
        }
    }

    /** Runs {@code work} on a worker, then {@code then} with its result on the selector thread. */
    private <T> void submit(Supplier<T> work, Consumer<T> then) {
        submit(pools.workers(), work, then);
    }

    /** Runs {@code work} on {@code pool}, then {@code then} with its result on the selector thread. */
    private <T> void submit(java.util.concurrent.Executor pool, Supplier<T> work, Consumer<T> then) {
        try {
            pool.execute(() -> {
                T result = work.get();
                DataLink started = link;
                // A transfer whose connection closed before it started has no link: nothing to tell.
                if (started != null) {
                    started.execute(() -> then.accept(result));
                }
            });
        } catch (RejectedExecutionException e) {
            // The server is stopping: the file stays as it is, and resumes after the restart.
            release();
        }
    }

    private void log(System.Logger.Level level, String what) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long bytes = received;
        LOG.log(level, () -> String.format("upload %s user=%s path=%s bytes=%d seconds=%.3f MiB/s=%.1f",
                what, ticket.user().name(), ticket.path(), bytes, seconds,
                bytes / 1048576.0 / Math.max(seconds, 1e-9)));
    }
}
