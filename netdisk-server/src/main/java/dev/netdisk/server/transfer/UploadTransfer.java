package dev.netdisk.server.transfer;

import dev.netdisk.server.Services;
import dev.netdisk.server.protocol.ErrorReplies;
import dev.netdisk.server.protocol.Reply;
import dev.netdisk.server.protocol.ReplyCode;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Receives the bytes of one upload on a data connection, hashing them on the way, and makes the
 * file visible only once every byte is durable and the MD5 matches ({@code docs/PROTOCOL.md}
 * section 6).
 *
 * <p>The selector thread reads the socket into one of two buffers while a worker writes and hashes
 * the other, so network, disk and MD5 overlap and the selector never waits for disk. When both
 * buffers are full the connection stops reading: the client's sends slow down to the disk's pace
 * (TCP flow control), and memory stays at two buffers per upload.
 *
 * <p>States: receiving -> (all bytes written) finishing -> closed; or receiving -> aborted when the
 * peer goes away, which keeps the bytes received for resume.
 */
public final class UploadTransfer implements DataTransfer {

    private static final System.Logger LOG = System.getLogger(UploadTransfer.class.getName());

    /** Size of each of the two receive buffers, in bytes. */
    static final int CHUNK_BYTES = 1 << 20;

    private final Services services;
    private final Ticket.Upload ticket;
    private final FileChannel file;
    private final MessageDigest md5;
    private final long expected;
    private final long startNanos = System.nanoTime();

    private DataLink link;
    private ByteBuffer filling;
    private ByteBuffer spare;
    private long received;
    private boolean writing;
    private boolean finishing;
    private boolean aborted;
    private boolean released;
    private final Runnable onEnd;

    private UploadTransfer(Services services, Ticket.Upload ticket, FileChannel file, MessageDigest md5, Runnable onEnd) {
        this.services = services;
        this.onEnd = onEnd;
        this.ticket = ticket;
        this.file = file;
        this.md5 = md5;
        this.expected = ticket.size() - ticket.offset();
        // A small file needs no 1 MiB buffers (2 MiB of direct memory per 4 KiB upload otherwise).
        int bufferBytes = (int) Math.max(1, Math.min(CHUNK_BYTES, expected));
        this.filling = ByteBuffer.allocateDirect(bufferBytes);
        this.spare = ByteBuffer.allocateDirect(bufferBytes);
    }

    /**
     * Opens the kept bytes of {@code ticket} and hashes the part already received. Blocking: run on
     * a worker. The caller must hold {@link Tickets#beginUpload} for the ticket's partial.
     *
     * @param onEnd run once when the transfer ends, however it ends
     *
     * @throws IOException when the partial file cannot be opened or read
     */
    public static UploadTransfer open(Services services, Ticket.Upload ticket, Runnable onEnd) throws IOException {
        FileChannel file = FileChannel.open(services.blobs().partialPath(ticket.partial().blobId()),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes());
        try {
            if (file.size() < ticket.offset()) {
                throw new IOException("kept bytes shrank below offset " + ticket.offset());
            }
            file.truncate(ticket.offset());
            MessageDigest md5 = DigestUtils.getMd5Digest();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
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
            file.position(ticket.offset());
            return new UploadTransfer(services, ticket, file, md5, onEnd);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public Reply preliminary() {
        return Reply.of(ReplyCode.FILE_STATUS_OK, "send " + expected + " bytes from offset " + ticket.offset());
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
        advance();
    }

    @Override
    public boolean wantsRead() {
        return !aborted && !finishing && received < expected && filling.hasRemaining();
    }

    @Override
    public void onReadable() throws IOException {
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
        if (!writing) {
            keepReceived();
        }
    }

    /** Hands a buffer to a worker when one is full (or holds the last bytes), or finishes. */
    private void advance() {
        if (aborted || finishing || writing) {
            link.interestChanged();
            return;
        }
        boolean last = received == expected;
        if (filling.position() > 0 && (!filling.hasRemaining() || last)) {
            ByteBuffer chunk = filling;
            filling = spare;
            spare = null;
            chunk.flip();
            writing = true;
            submit(() -> writeChunk(chunk), error -> chunkWritten(chunk, error));
        } else if (last) {
            finishing = true;
            submit(this::complete, reply -> {
                if (reply != null) {
                    link.finish(reply);
                }
            });
        }
        link.interestChanged();
    }

    /** Worker: appends one chunk and hashes it. Returns the failure, or null. */
    private IOException writeChunk(ByteBuffer chunk) {
        try {
            md5.update(chunk.duplicate());
            while (chunk.hasRemaining()) {
                file.write(chunk);
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Selector: a chunk is on disk (or failed). */
    private void chunkWritten(ByteBuffer chunk, IOException error) {
        writing = false;
        chunk.clear();
        spare = chunk;
        if (aborted) {
            keepReceived();
        } else if (error != null) {
            finishing = true;
            submit(() -> fail(error), link::finish);
        } else {
            advance();
        }
    }

    /**
     * Worker: every byte is in; verify, then hand the file to {@link UploadCommits}, which makes it
     * durable and visible (grouped with other uploads finishing at once) and then sends the final
     * reply. Returns the reply when there is one at once (a mismatch), or null when handed over.
     */
    private Reply complete() {
        String actual = Hex.encodeHexString(md5.digest());
        String blobId = ticket.partial().blobId();
        long partialId = ticket.partial().id();
        boolean handedOver = false;
        try {
            if (!actual.equals(ticket.md5())) {
                file.close();
                services.blobs().deletePartial(blobId);
                services.partials().delete(partialId);
                log(System.Logger.Level.WARNING, "rejected verified=no (checksum mismatch)");
                return Reply.of(ReplyCode.CHECKSUM_MISMATCH, "checksum mismatch: expected " + ticket.md5()
                        + ", received " + actual + "; nothing was stored");
            }
            DataLink started = link;
            services.commits().commit(new FileTree.NewFile(ticket.user().id(), ticket.path(), ticket.size(), actual,
                    blobId, ticket.overwrite(), partialId), file, outcome -> {
                        Reply reply = committed(outcome, actual);
                        release();
                        started.execute(() -> started.finish(reply));
                    });
            handedOver = true;
            return null;
        } catch (RejectedExecutionException e) {
            // The server is stopping: the bytes stay kept, and the upload resumes after the restart.
            try {
                file.close();
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
            file.close();
            services.blobs().deletePartial(ticket.partial().blobId());
            services.partials().delete(ticket.partial().id());
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
        ByteBuffer rest = filling;
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
            services.partials().touch(ticket.partial().id());
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
            services.tickets().endUpload(ticket.partial().blobId());
            onEnd.run();
        }
    }

    /** Runs {@code work} on a worker, then {@code then} with its result on the selector thread. */
    private <T> void submit(Supplier<T> work, Consumer<T> then) {
        try {
            services.workers().execute(() -> {
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
