package dev.netdisk.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;

/**
 * The byte-moving half of {@link NetdiskClient}: uploads and downloads over data connections
 * (PROTOCOL.md section 6), with resume, streaming in {@link NetdiskClient#CHUNK} chunks and MD5
 * checks. Stateless apart from its client; safe to use from several threads at once, each
 * transfer on its own data connection.
 */
final class Transfers {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A data connection may wait this long for the server's final line (it syncs and hashes big files). */
    private static final Duration DATA_TIMEOUT = Duration.ofMinutes(10);

    private final NetdiskClient client;
    private final String host;
    private final int port;

    Transfers(NetdiskClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    /** See {@link NetdiskClient#upload}. */
    TransferResult upload(Path local, String remote, TransferOptions options, TransferListener listener)
            throws IOException {
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        Cancellation cancel = options.cancellation();
        if (Files.isDirectory(local)) {
            throw new java.nio.file.FileSystemException(local.toString(), null, "is a directory; upload sends one file");
        }
        if (!Files.isRegularFile(local)) {
            throw new NoSuchFileException(local.toString());
        }
        long size = Files.size(local);
        MessageDigest digest = Md5.newDigest();
        Md5.update(digest, local, size, hashed -> l.hashing(hashed, size), cancel);
        String md5 = Md5.hex(digest);
        String target = uploadTarget(local, remote);

        Reply reply = client.request(ProtocolArgs.command("UPLOAD", ProtocolArgs.path(target), Long.toString(size), md5)
                + (options.overwrite() ? " --overwrite" : "")).expect(350);
        String ticket = reply.param("ticket");
        long offset = reply.longParam("offset");
        if (offset < 0 || offset > size) {
            throw new NetdiskConnectionException("protocol error: offset out of range: " + reply);
        }
        String absolute = client.absolute(target);
        l.started(absolute, offset, size);

        try (DataConnection data = openData(ticket, cancel, absolute)) {
            try {
                sendBytes(local, offset, size, data.output(), l, cancel);
            } catch (IOException e) {
                checkCancelled(cancel, absolute);
                Reply early = data.readReplyAfterFailure();
                if (early != null) {
                    throw failure(early, md5);
                }
                throw new NetdiskConnectionException("data connection lost during upload: " + e.getMessage(), e);
            }
            Reply done = readFinal(data, cancel, absolute);
            if (done.code() != 226) {
                throw failure(done, md5);
            }
            String stored = done.params().get("md5");
            if (stored != null && !stored.equalsIgnoreCase(md5)) {
                throw new ChecksumMismatchException("checksum mismatch: sent " + md5 + ", server stored " + stored, md5, stored);
            }
            return new TransferResult(absolute, local, size, md5, offset);
        } finally {
            if (cancel != null) {
                cancel.detach();
            }
        }
    }

    /** Asks for a download ticket that starts at a given offset. */
    interface TicketRequest {
        Reply at(long offset) throws IOException;
    }

    /** The shared body of {@link NetdiskClient#download} and {@link NetdiskClient#fetch}: {@code .part}, resume, MD5, rename. */
    TransferResult receive(String source, Path target, TicketRequest tickets, TransferOptions options,
                                   TransferListener listener) throws IOException {
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        Cancellation cancel = options.cancellation();
        if (Files.exists(target) && !options.overwrite()) {
            throw new FileAlreadyExistsException(target.toString(), null, "use --overwrite to replace it");
        }
        if (Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "is a directory");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long kept = Files.isRegularFile(part) ? Files.size(part) : 0;

        Reply reply = tickets.at(kept);
        if (reply.code() == 501 && kept > 0) {
            // The .part is longer than the file now on the server: it belongs to another version.
            Files.delete(part);
            kept = 0;
            reply = tickets.at(0);
        }
        reply.expect(350);
        String ticket = reply.param("ticket");
        long offset = reply.longParam("offset");
        long size = reply.longParam("size");
        String md5 = reply.param("md5").toLowerCase(Locale.ROOT);
        if (offset != kept || offset > size) {
            throw new NetdiskConnectionException("protocol error: asked for offset " + kept + ", got: " + reply);
        }
        String absolute = source;

        MessageDigest digest = Md5.newDigest();
        if (offset > 0) {
            Md5.update(digest, part, offset, hashed -> l.hashing(hashed, offset), cancel);
        }
        l.started(absolute, offset, size);
        try (DataConnection data = openData(ticket, cancel, absolute)) {
            try {
                receiveBytes(data.input(), part, offset, size, digest, l, cancel);
            } catch (EOFException e) {
                throw new NetdiskConnectionException("data connection closed early: " + e.getMessage()
                        + " (the partial file " + part.getFileName() + " is kept; run again to resume)", e);
            } catch (SocketException | SocketTimeoutException e) {
                checkCancelled(cancel, absolute);
                throw new NetdiskConnectionException("data connection lost during download: " + e.getMessage()
                        + " (the partial file " + part.getFileName() + " is kept; run again to resume)", e);
            }
            Reply done = readFinal(data, cancel, absolute);
            if (done.code() != 226) {
                throw new NetdiskReplyException(done.code(), done.text());
            }
        } finally {
            if (cancel != null) {
                cancel.detach();
            }
        }
        String actual = Md5.hex(digest);
        if (!actual.equals(md5)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException("checksum mismatch: expected " + md5 + ", received " + actual
                    + " (the partial file was discarded)", md5, actual);
        }
        if (options.overwrite()) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new TransferResult(absolute, target, size, md5, offset);
    }

    private String uploadTarget(Path local, String remote) throws IOException {
        String name = local.getFileName().toString();
        if (remote == null || remote.isEmpty()) {
            return name;
        }
        if (remote.endsWith("/")) {
            return remote + name;
        }
        try {
            if (client.stat(remote).isDirectory()) {
                return RemotePaths.join(remote, name);
            }
        } catch (NetdiskReplyException e) {
            if (e.code() != 550) {
                throw e;
            }
        }
        return remote;
    }

    private static void sendBytes(Path local, long offset, long size, OutputStream out, TransferListener l,
                                  Cancellation cancel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(NetdiskClient.CHUNK);
        try (FileChannel ch = FileChannel.open(local, StandardOpenOption.READ)) {
            ch.position(offset);
            long position = offset;
            while (position < size) {
                if (cancel != null && cancel.isCancelled()) {
                    throw new SocketException("cancelled");
                }
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), size - position));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException(local + " shrank during the upload");
                }
                out.write(buf.array(), 0, n);
                position += n;
                l.progress(position);
            }
            out.flush();
        }
    }

    private static void receiveBytes(InputStream in, Path part, long offset, long size, MessageDigest digest,
                                     TransferListener l, Cancellation cancel) throws IOException {
        byte[] buf = new byte[NetdiskClient.CHUNK];
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.position(offset);
            long position = offset;
            while (position < size) {
                if (cancel != null && cancel.isCancelled()) {
                    throw new SocketException("cancelled");
                }
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - position));
                if (n < 0) {
                    throw new EOFException("got " + position + " of " + size + " bytes");
                }
                digest.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                position += n;
                l.progress(position);
            }
            ch.force(true);
        }
    }

    private DataConnection openData(String ticket, Cancellation cancel, String path) throws IOException {
        try {
            return DataConnection.open(host, port, ticket, CONNECT_TIMEOUT, DATA_TIMEOUT, cancel);
        } catch (NetdiskReplyException e) {
            throw e;
        } catch (IOException e) {
            checkCancelled(cancel, path);
            throw e;
        }
    }

    private static Reply readFinal(DataConnection data, Cancellation cancel, String path) throws IOException {
        try {
            return data.readReply();
        } catch (IOException e) {
            checkCancelled(cancel, path);
            throw e;
        }
    }

    private static void checkCancelled(Cancellation cancel, String path) throws TransferCancelledException {
        if (cancel != null && cancel.isCancelled()) {
            throw new TransferCancelledException("transfer of " + path + " cancelled");
        }
    }

    private static IOException failure(Reply reply, String md5) {
        if (reply.code() == 554) {
            return new ChecksumMismatchException(reply.toString(), md5, null);
        }
        return new NetdiskReplyException(reply.code(), reply.text());
    }

}
