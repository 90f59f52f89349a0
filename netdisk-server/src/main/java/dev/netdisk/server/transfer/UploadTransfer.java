package dev.netdisk.server.transfer;

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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Receives the bytes of one upload on a data connection, hashing them on the way, and makes the
 * file visible only once every byte is durable and the MD5 matches ({@code docs/PROTOCOL.md}
 * section 6).
 *
 * <p>The selector thread reads the socket into an {@link UploadReceiver}: for a file kept for
 * resume, a ring of buffers whose hash and write lanes run on the pool {@link TransferPools#forBytes}
 * picks (bulk for a big upload), so network, MD5 and disk overlap and the selector never waits for
 * either. When every buffer is busy the connection stops reading (TCP flow control).
 *
 * <p>When the ticket has no MD5 (the client defers it), the bytes are followed by one trailer line
 * ({@link ChecksumTrailer}); the file is compared with it once every byte is written.
 *
 * <p>States: receiving -> (deferred: awaiting trailer ->) (all bytes written) finishing -> closed;
 * or receiving -> aborted when the peer goes away, which keeps the bytes received for resume. A
 * missing or malformed trailer also keeps the bytes, and answers {@code 501}.
 *
 * <p>A small file ({@link InlineBlobs}: the ticket's upload is not kept) is received in memory
 * ({@link UploadReceiver#inMemory}), hashed on a worker once all is in, and goes to
 * {@link UploadCommits} to be stored in the database. Nothing of it is kept when the peer goes
 * away or the trailer is bad.
 */
public final class UploadTransfer implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(UploadTransfer.class.getName());

    private final Tickets tickets;
    private final UploadCommits commits;
    private final TransferPools pools;
    private final Ticket.Upload ticket;
    /** The partial file and its row; nothing for a small file, received in memory. */
    private final KeptBytes kept;
    private final UploadReceiver receiver;
    /** The trailer line to read after the bytes; null when the ticket has the MD5. */
    private final ChecksumTrailer trailer;
    private final long expected;
    private final long startNanos = System.nanoTime();
    private final Runnable onEnd;

    private DataLink link;
    private boolean keeping;
    private boolean finishing;
    private boolean aborted;
    private boolean released;

    private UploadTransfer(Tickets tickets, UploadCommits commits, TransferPools pools, Ticket.Upload ticket,
                           KeptBytes kept, UploadReceiver receiver, Runnable onEnd) {
        this.tickets = tickets;
        this.commits = commits;
        this.pools = pools;
        this.onEnd = onEnd;
        this.ticket = ticket;
        this.kept = kept;
        this.receiver = receiver;
        this.expected = ticket.size() - ticket.offset();
        this.trailer = ticket.md5() == null ? new ChecksumTrailer(kept.note()) : null;
    }

    /** Whether this is a small file, received into memory and stored in the database. */
    private boolean inline() {
        return !kept.kept();
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
        long expected = ticket.size() - ticket.offset();
        if (!ticket.partial().kept()) {
            return new UploadTransfer(tickets, commits, pools, ticket, KeptBytes.none(),
                    UploadReceiver.inMemory(expected), onEnd);
        }
        Path path = blobs.partialPath(ticket.partial().blobId());
        FileChannel file = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes());
        try {
            UploadReceiver receiver = UploadReceiver.streamed(path, file, ticket.offset(), expected,
                    pools.forBytes(expected));
            return new UploadTransfer(tickets, commits, pools, ticket,
                    KeptBytes.in(blobs, partials, ticket.partial(), file), receiver, onEnd);
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
        receiver.start(dataLink::execute, this::advance, this::release);
        receiver.take(leftover);
        if (receiver.allIn() && awaitingTrailer()) {
            trailer.take(leftover);
            leftover.position(leftover.limit()); // nothing is read after the trailer
        }
        advance();
    }

    @Override
    public boolean wantsRead() {
        if (aborted || finishing) {
            return false;
        }
        return receiver.allIn() ? awaitingTrailer() : receiver.canRead();
    }

    /** Whether the bytes are followed by a trailer line that has not been read yet. */
    private boolean awaitingTrailer() {
        return trailer != null && trailer.pending();
    }

    /** The MD5 the client claims: from the ticket, or (deferred) from the trailer once read; null until known. */
    private String claimedMd5() {
        return trailer == null ? ticket.md5() : trailer.md5();
    }

    /** A missing or malformed trailer: the reply to finish with, once the bytes are kept; else null. */
    private Reply trailerProblem() {
        return trailer == null ? null : trailer.problem();
    }

    @Override
    public void onReadable() throws IOException {
        if (receiver.allIn()) {
            if (awaitingTrailer()) {
                int n = trailer.read(link.channel());
                if (n > 0) {
                    link.counted(n, 0);
                }
            }
            advance();
            return;
        }
        if (!receiver.canRead()) {
            return;
        }
        int n = receiver.read(link.channel());
        if (n < 0) {
            // The peer closed early: the connection closes and onClosed keeps the bytes for resume.
            throw new IOException("client closed the data connection after "
                    + (ticket.offset() + receiver.received()) + " of " + ticket.size() + " bytes");
        }
        link.counted(n, 0);
        advance();
    }

    @Override
    public Reply stalledReply(Duration after) {
        String what = receiver.allIn() && awaitingTrailer() ? "no checksum trailer" : "no bytes";
        return Reply.of(ReplyCode.SERVICE_CLOSING, "transfer stalled: " + what + " for " + after.toSeconds()
                + " seconds; " + (inline() ? kept.note() : "the bytes received are kept for resume"));
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
        receiver.stop();
        advance();
    }

    /**
     * Selector: passes what arrived on to the receiver's lanes, and finishes (or keeps the bytes,
     * or fails) once they are idle.
     */
    private void advance() {
        if (finishing || keeping) {
            return;
        }
        if (inline()) {
            advanceInline();
            return;
        }
        if (aborted) {
            if (receiver.idle()) {
                keeping = true;
                IOException error = receiver.failure();
                if (error != null) {
                    // The file has a hole where a write failed: nothing there is worth resuming from.
                    submit(() -> fail(error), ignored -> { });
                } else {
                    keepReceived();
                }
            }
            return;
        }
        if (receiver.failure() != null) {
            if (receiver.idle()) {
                finishing = true;
                IOException error = receiver.failure();
                submit(() -> fail(error), link::finish);
            }
            link.interestChanged();
            return;
        }
        receiver.pass();
        if (receiver.allIn() && receiver.idle() && receiver.drained()) {
            Reply problem = trailerProblem();
            if (problem != null) {
                finishing = true;
                submit(() -> {
                    keepForResume();
                    return problem;
                }, link::finish);
            } else if (claimedMd5() != null) {
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
        if (receiver.allIn() && trailerProblem() != null) {
            finishing = true;
            release();
            link.finish(trailerProblem());
            return;
        }
        if (receiver.allIn() && claimedMd5() != null) {
            finishing = true;
            submit(this::complete, reply -> {
                if (reply != null) {
                    link.finish(reply);
                }
            });
        }
        link.interestChanged();
    }

    /**
     * Worker: every byte is in; verify, then hand the file to {@link UploadCommits}, which makes it
     * durable and visible (grouped with other uploads finishing at once) and then sends the final
     * reply. Returns the reply when there is one at once (a mismatch), or null when handed over.
     */
    private Reply complete() {
        UploadReceiver.Received bytes = receiver.finish();
        String actual = bytes.md5();
        String blobId = ticket.partial().blobId();
        long partialId = ticket.partial().id();
        String expectedMd5 = claimedMd5();
        boolean handedOver = false;
        try {
            if (!actual.equals(expectedMd5)) {
                kept.discard();
                log(System.Logger.Level.WARNING, "rejected verified=no (checksum mismatch)");
                return Reply.of(ReplyCode.CHECKSUM_MISMATCH, "checksum mismatch: expected " + expectedMd5
                        + ", received " + actual + "; nothing was stored");
            }
            DataLink started = link;
            commits.commit(new FileTree.NewFile(ticket.user().id(), ticket.path(), ticket.size(), actual,
                    blobId, ticket.overwrite(), partialId, bytes.content()), kept.channel(), outcome -> {
                        Reply reply = committed(outcome, actual);
                        release();
                        started.execute(() -> started.finish(reply));
                    });
            handedOver = true;
            return null;
        } catch (RejectedExecutionException e) {
            // The server is stopping: the bytes stay kept, and the upload resumes after the restart.
            kept.closeQuietly();
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
            kept.discard();
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
        ByteBuffer rest = receiver.rest();
        submit(() -> {
            IOException error = receiver.write(rest);
            if (error != null) {
                LOG.log(System.Logger.Level.WARNING, "could not write the last bytes of " + ticket.path(), error);
            }
            return keepForResume();
        }, ignored -> { });
    }

    /** Worker: the peer went away; close the file and keep what arrived. */
    private Void keepForResume() {
        try {
            kept.keep();
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
            receiver.close();
            tickets.endUpload(ticket.partial().blobId());
            onEnd.run();
        }
    }

    /** Runs {@code work} on a worker, then {@code then} with its result on the selector thread. */
    private <T> void submit(Supplier<T> work, Consumer<T> then) {
        try {
            pools.workers().execute(() -> {
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
        long bytes = receiver.received();
        LOG.log(level, () -> String.format("upload %s user=%s path=%s bytes=%d seconds=%.3f MiB/s=%.1f",
                what, ticket.user().name(), ticket.path(), bytes, seconds,
                bytes / 1048576.0 / Math.max(seconds, 1e-9)));
    }
}
