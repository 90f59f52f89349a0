package dev.netdisk.cli.client;

import dev.netdisk.cli.client.tls.CipherWarmup;
import dev.netdisk.cli.client.tls.ClientTls;
import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;

/**
 * Transfers whose local side is a stream, not a file: {@code cat} and {@code download REMOTE -}
 * (to an {@link OutputStream}), {@code upload - REMOTE} (from an {@link InputStream}).
 *
 * <p>A download to a stream cannot hold bytes back until the MD5 is known, so it writes them as they
 * arrive and checks the MD5 at the end: a mismatch is reported after the bytes went out (the caller
 * sees a {@link ChecksumMismatchException} and exits non-zero, as {@code rclone cat} does). An upload
 * from a stream is spooled to a private temporary file first, because the protocol needs the size
 * up front ({@code UPLOAD path size -}, PROTOCOL.md section 6); the file then goes through the
 * normal verified upload and is deleted afterwards.
 *
 * <p>Stateless apart from its client; blocking.
 */
final class Streams {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DATA_TIMEOUT = Duration.ofMinutes(10);
    private static final int CHUNK_BYTES = 256 << 10;

    private final NetdiskClient client;
    private final Transfers transfers;

    Streams(NetdiskClient client, Transfers transfers) {
        this.client = client;
        this.transfers = transfers;
    }

    /** See {@link NetdiskClient#downloadTo}. */
    TransferResult downloadTo(String remote, OutputStream out, TransferOptions options, TransferListener listener)
            throws IOException {
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        Cancellation cancel = options.cancellation();
        Reply reply = client.request("DOWNLOAD " + Arguments.path(remote) + " 0");
        reply.expect(350);
        String ticket = reply.param("ticket");
        long size = reply.longParam("size");
        String md5 = reply.param("md5").toLowerCase(Locale.ROOT);
        String absolute = client.absolute(remote);
        l.started(absolute, 0, size);
        MessageDigest digest = Md5.newDigest();
        CipherWarmup.beforeTransfer(ClientTls.forServer(client.host(), client.port()), size);
        try (DataConnection data = DataConnection.open(client.host(), client.port(), ticket, CONNECT_TIMEOUT,
                DATA_TIMEOUT, cancel)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
            long received = 0;
            try {
                while (received < size) {
                    buf.clear();
                    buf.limit((int) Math.min(buf.capacity(), size - received));
                    int n = data.drainBuffered(buf);
                    if (n == 0) {
                        n = data.channel().read(buf);
                    }
                    if (n < 0) {
                        throw new EOFException("got " + received + " of " + size + " bytes");
                    }
                    data.moved();
                    digest.update(buf.array(), 0, buf.position());
                    out.write(buf.array(), 0, buf.position());
                    received += n;
                    l.progress(received);
                }
                out.flush();
            } catch (IOException e) {
                Transfers.checkCancelled(cancel, absolute);
                if (e instanceof EOFException || e instanceof java.net.SocketException) {
                    throw new NetdiskConnectionException("the connection was lost while " + absolute
                            + " was being read: " + e.getMessage(), e);
                }
                throw e;
            }
            Reply done = Transfers.readFinal(data, cancel, absolute);
            if (done.code() != 226) {
                throw new ReplyException(done.code(), done.text());
            }
        } catch (IOException e) {
            Transfers.checkCancelled(cancel, absolute);
            throw e;
        } finally {
            if (cancel != null) {
                cancel.detach();
            }
        }
        String actual = Md5.hex(digest);
        if (!actual.equals(md5)) {
            throw new ChecksumMismatchException("checksum mismatch: the server has " + md5 + " for " + absolute
                    + ", the bytes received hash to " + actual, md5, actual);
        }
        return new TransferResult(absolute, null, size, md5, 0);
    }

    /** See {@link NetdiskClient#uploadFrom}. */
    TransferResult uploadFrom(InputStream in, Path spoolDir, String remote, TransferOptions options,
                              TransferListener listener) throws IOException {
        Path spool = privateTempFile(spoolDir);
        try {
            String spooled;
            try (OutputStream out = Files.newOutputStream(spool)) {
                MessageDigest digest = Md5.newDigest();
                byte[] buf = new byte[CHUNK_BYTES];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    Transfers.checkCancelled(options.cancellation(), remote);
                    digest.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
                spooled = Md5.hex(digest);
            }
            // Each run spools to a new file, so a kept upload of the same target is never resumed
            // (the stamps see another local file): say it in terms of standard input.
            TransferListener l = listener == null ? TransferListener.NONE : listener;
            TransferListener quieter = new TransferListener() {
                @Override
                public void hashing(long hashed, long total) {
                    l.hashing(hashed, total);
                }

                @Override
                public void started(String remotePath, long offset, long size) {
                    l.started(remotePath, offset, size);
                }

                @Override
                public void progress(long position) {
                    l.progress(position);
                }

                @Override
                public void notice(String line) {
                    l.notice("an interrupted upload from standard input is not resumed; sending it whole");
                }
            };
            TransferResult r = transfers.upload(spool, remote, false, options, quieter);
            if (!r.md5().equalsIgnoreCase(spooled)) {
                // The upload re-reads the spool file: a different hash means it changed on disk meanwhile.
                throw new ChecksumMismatchException("checksum mismatch: standard input hashed to " + spooled
                        + " but its temporary copy to " + r.md5(), spooled, r.md5());
            }
            return new TransferResult(r.remotePath(), null, r.size(), r.md5(), r.offset());
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * An empty file in {@code dir} only this user may read or write (0600 where the file system
     * has POSIX permissions). Marked delete-on-exit too, for a Ctrl-C that ends the process while
     * standard input is being read.
     */
    private static Path privateTempFile(Path dir) throws IOException {
        Path file;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            file = Files.createTempFile(dir, "netdisk-stdin-", ".spool",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            file = Files.createTempFile(dir, "netdisk-stdin-", ".spool");
        }
        file.toFile().deleteOnExit();
        return file;
    }
}
