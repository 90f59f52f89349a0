package dev.netdisk.cli.client;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The data half of small-file transfers for {@link RecursiveTransfer}: the ticket was asked for
 * with the other requests of a pipelined batch ({@link NetdiskClient#requestAll}); here one
 * thread moves one file's bytes on its own data connection (PROTOCOL.md section 6), many of these
 * at once. A file this small is held in memory whole: read once to hash it and send it, or received,
 * checked and written in one go.
 *
 * <p>Same guarantees as {@link Transfers}: the MD5 is checked end to end; a download goes to
 * {@code NAME.part} and replaces the target only once verified, by an atomic rename. Unlike a
 * single-file download, it is not forced to disk before the rename (see {@code docs/CLI.md},
 * {@code download -r}): a mirror of many small files would otherwise pay one disk sync per file.
 * No resume: a small file is sent whole again.
 *
 * <p>Data connections are kept for the next file: each is opened with {@code DATA ticket --keep}
 * and, after a {@code 226}, goes back to a pool from which the next transfer takes it (PROTOCOL.md
 * section 6, "Several transfers on one data connection"), which saves a TCP connection per
 * file. A server that does not know {@code --keep} answers {@code 501}; from then on every
 * transfer opens its own connection, as before.
 *
 * <p>Thread-safe: one instance serves every worker of a recursive transfer; {@link #close} ends
 * the idle connections.
 */
final class SmallTransfers implements AutoCloseable {

    /** Files up to this many bytes go through here; larger ones take the single-file path with resume. */

    /** The data connection's stream buffers: the bytes go out in one write from the array anyway. */
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DATA_TIMEOUT = Duration.ofMinutes(2);

    private final String host;
    private final int port;
    private final ConcurrentLinkedQueue<DataConnection> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean keep = true;
    private volatile boolean closed;

    SmallTransfers(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A local file read whole, and its MD5 (lower-case hex). */
    record Content(byte[] bytes, String md5) {
        static Content read(Path local) throws IOException {
            byte[] bytes = Files.readAllBytes(local);
            MessageDigest digest = Md5.newDigest();
            digest.update(bytes);
            return new Content(bytes, Md5.hex(digest));
        }
    }

    /** The {@code UPLOAD} line for {@code content} at the absolute remote path {@code remote}. */
    static String uploadLine(String remote, Content content, boolean overwrite) {
        return Arguments.command("UPLOAD", Arguments.path(remote), Long.toString(content.bytes().length),
                content.md5()) + (overwrite ? " --overwrite" : "");
    }

    /**
     * Sends {@code content} for the {@code 350} reply {@code ticket} and waits for the final reply.
     *
     * @throws ReplyException     the final reply was not 226 (452, 521, ...)
     * @throws ChecksumMismatchException 554, or the server stored other bytes than sent
     */
    TransferResult upload(Path local, String remote, Content content, Reply ticket, Cancellation cancel)
            throws IOException {
        long size = content.bytes().length;
        long offset = ticket.longParam("offset");
        if (offset < 0 || offset > size) {
            throw new NetdiskConnectionException("protocol error: offset out of range: " + ticket);
        }
        DataConnection data = open(ticket.param("ticket"), cancel, remote);
        boolean reusable = false;
        try {
            try {
                data.output().write(content.bytes(), (int) offset, (int) (size - offset));
                data.output().flush();
            } catch (IOException e) {
                Transfers.checkCancelled(cancel, remote);
                Reply early = data.readReplyAfterFailure();
                if (early != null) {
                    throw Transfers.failure(early, content.md5());
                }
                throw new NetdiskConnectionException("data connection lost during upload: " + e.getMessage(), e);
            }
            Reply done = Transfers.readFinal(data, cancel, remote);
            if (done.code() != 226) {
                throw Transfers.failure(done, content.md5());
            }
            String stored = done.params().get("md5");
            if (stored != null && !stored.equalsIgnoreCase(content.md5())) {
                throw new ChecksumMismatchException("checksum mismatch: sent " + content.md5() + ", server stored "
                        + stored, content.md5(), stored);
            }
            reusable = true;
            return new TransferResult(remote, local, size, content.md5(), offset);
        } finally {
            cancel.detach();
            release(data, reusable);
        }
    }

    /** The {@code DOWNLOAD} line for the whole file at the absolute remote path {@code remote}. */
    static String downloadLine(String remote) {
        return "DOWNLOAD " + Arguments.path(remote) + " 0";
    }

    /**
     * Receives the file of the {@code 350} reply {@code ticket}, checks its MD5 and puts it at
     * {@code target} (replacing a file there).
     */
    TransferResult download(String remote, Path target, Reply ticket, Cancellation cancel) throws IOException {
        long size = ticket.longParam("size");
        String md5 = ticket.param("md5").toLowerCase(Locale.ROOT);
        if (ticket.longParam("offset") != 0 || size < 0 || size > ProtocolLimits.CHUNK_BYTES) {
            throw new NetdiskConnectionException("protocol error: unexpected ticket for a small file: " + ticket);
        }
        byte[] bytes = new byte[(int) size];
        DataConnection data = open(ticket.param("ticket"), cancel, remote);
        boolean reusable = false;
        try {
            try {
                InputStream in = data.input();
                int position = 0;
                while (position < size) {
                    int n = in.read(bytes, position, (int) size - position);
                    if (n < 0) {
                        throw new EOFException("got " + position + " of " + size + " bytes");
                    }
                    position += n;
                }
            } catch (EOFException e) {
                throw new NetdiskConnectionException("data connection closed early: " + e.getMessage(), e);
            } catch (SocketException | SocketTimeoutException e) {
                Transfers.checkCancelled(cancel, remote);
                throw new NetdiskConnectionException("data connection lost during download: " + e.getMessage(), e);
            }
            Reply done = Transfers.readFinal(data, cancel, remote);
            if (done.code() != 226) {
                throw new ReplyException(done.code(), done.text());
            }
            reusable = true;
        } finally {
            cancel.detach();
            release(data, reusable);
        }
        write(target, bytes, md5);
        return new TransferResult(remote, target, size, md5, 0);
    }

    /**
     * Checks a small file's bytes against {@code md5} (as the server stored it) and puts them at
     * {@code target}, replacing a file there: written to {@code NAME.part}, then renamed over it
     * (atomic; not forced to disk).
     *
     * @throws ChecksumMismatchException the bytes do not match (nothing was written)
     */
    static void write(Path target, byte[] bytes, String md5) throws IOException {
        String expected = md5.toLowerCase(Locale.ROOT);
        MessageDigest digest = Md5.newDigest();
        digest.update(bytes);
        String actual = Md5.hex(digest);
        if (!actual.equals(expected)) {
            throw new ChecksumMismatchException("checksum mismatch: expected " + expected + ", received " + actual
                    + " (nothing was written)", expected, actual);
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.write(part, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A data connection that has sent {@code DATA ticket} and read its {@code 150}: a kept one, or a new one. */
    private DataConnection open(String ticket, Cancellation cancel, String path) throws IOException {
        DataConnection kept;
        while ((kept = idle.poll()) != null) {
            try {
                kept.reuse(ticket, cancel);
                return kept;
            } catch (ReplyException e) {
                kept.close();
                if (e.code() != 421) {
                    throw e;
                }
                // 421: the server closed it for idling, before it read the ticket: try the next one.
            } catch (IOException e) {
                // Closed by the server while idle, before it read the ticket: try the next one.
                kept.close();
                Transfers.checkCancelled(cancel, path);
            }
        }
        boolean asked = keep;
        try {
            try {
                return DataConnection.open(host, port, ticket, CONNECT_TIMEOUT, DATA_TIMEOUT, cancel, BUFFER_BYTES, asked);
            } catch (ReplyException e) {
                if (!asked || e.code() != 501) {
                    throw e;
                }
                // A server from before DATA --keep: the ticket was not taken; one connection per file then.
                keep = false;
                return DataConnection.open(host, port, ticket, CONNECT_TIMEOUT, DATA_TIMEOUT, cancel, BUFFER_BYTES, false);
            }
        } catch (ReplyException e) {
            throw e;
        } catch (IOException e) {
            Transfers.checkCancelled(cancel, path);
            throw e;
        }
    }

    /** After a transfer: back to the pool when it ended with 226 on a kept connection, else closed. */
    private void release(DataConnection data, boolean reusable) {
        if (reusable && keep && !closed) {
            idle.add(data);
            if (closed && idle.remove(data)) {
                data.close();
            }
        } else {
            data.close();
        }
    }

    /** Closes the idle connections (the server sees them end). */
    @Override
    public void close() {
        closed = true;
        DataConnection data;
        while ((data = idle.poll()) != null) {
            data.sendQuit();
            data.close();
        }
    }
}
