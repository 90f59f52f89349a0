package dev.netdisk.cli.client;

import dev.netdisk.cli.client.tls.CipherWarmup;
import dev.netdisk.cli.client.tls.ClientTls;
import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ModificationTime;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The single-file half of {@link NetdiskClient}: one file's upload or download on a ticket's data
 * connection (PROTOCOL.md section 6), with resume, the bytes moved by {@link FileStreams} and the
 * MD5 checked. Stateless apart from its client; safe to use from several threads at once, each
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

    /**
     * See {@link NetdiskClient#upload}.
     *
     * @param intoDirectory whether a {@code remote} naming a directory receives the file inside it
     *                      (one {@code STAT}); {@code false} uploads to exactly {@code remote}
     */
    TransferResult upload(Path local, String remote, boolean intoDirectory, TransferOptions options,
                          TransferListener listener)
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
        String target = intoDirectory ? uploadTarget(local, remote) : remote;
        String overwrite = options.overwrite() ? " --overwrite" : "";

        // The MD5 follows the bytes (PROTOCOL.md section 6), so the file is hashed while it is sent.
        String md5 = null;
        UploadStamps stamps = options.stamps();
        String key = host + ":" + port + " " + client.user() + " " + client.absolute(target);
        UploadStamps.Stamp now = UploadStamps.Stamp.of(local);
        UploadStamps.Stamp before = stamps == null ? null : stamps.get(key);
        String announced = "-";
        if (before != null && before.sameFile(now)) {
            announced = before.announced();  // resume what that attempt started, deferred or not
        } else if (before != null) {
            // The server resumes a deferred upload by path and size only, so it would keep the old
            // bytes. An MD5 up front never resumes a deferred upload: the bytes start from zero.
            l.notice("the local file changed since the interrupted upload (" + what(before, now)
                    + "); starting over from the first byte");
            announced = HashingCopy.md5(local, cancel);
        }
        // The local modification time goes along, so the stored file keeps it (as sftp -p does).
        Reply reply = client.request(Arguments.command("UPLOAD", Arguments.path(target), Long.toString(size), announced,
                ModificationTime.word(now.mtimeMillis())) + overwrite);
        reply.expect(350);
        if (stamps != null) {
            stamps.put(key, now.announcing(announced));
        }
        String ticket = reply.param("ticket");
        long offset = reply.longParam("offset");
        if (offset < 0 || offset > size) {
            throw new NetdiskConnectionException("protocol error: offset out of range: " + reply);
        }
        String absolute = client.absolute(target);
        CipherWarmup.beforeTransfer(ClientTls.forServer(host, port), size - offset);
        l.started(absolute, offset, size);

        try (DataConnection data = openData(ticket, cancel, absolute)) {
            try {
                // The kept prefix is hashed from the local file: if the file changed since, the
                // whole-file MD5 differs from the server's and the upload fails with 554.
                md5 = FileStreams.send(data, local, offset, size, l::progress, cancel, announced.equals("-"));
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
                if (done.code() == 554 && stamps != null) {
                    stamps.remove(key);  // the server dropped the bytes: nothing left to resume
                }
                if (done.code() == 554 && offset > 0) {
                    throw new ChecksumMismatchException("554 checksum mismatch after resuming at " + offset + " bytes: "
                            + "the local file changed since the interrupted upload; the kept bytes are dropped, "
                            + "run again to send it whole", md5, null);
                }
                throw failure(done, md5);
            }
            String stored = done.params().get("md5");
            if (stamps != null) {
                stamps.remove(key);
            }
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

    /**
     * The shared body of {@link NetdiskClient#download} and {@link Sharing#fetch}: {@code .part},
     * resume, MD5, rename.
     */
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

        String actual;
        CipherWarmup.beforeTransfer(ClientTls.forServer(host, port), size - offset);
        l.started(absolute, offset, size);
        try (DataConnection data = openData(ticket, cancel, absolute)) {
            try {
                actual = FileStreams.receive(data, part, offset, size, l::progress, cancel);
            } catch (EOFException e) {
                throw new NetdiskConnectionException("data connection closed early: " + e.getMessage()
                        + " (the partial file " + part.getFileName() + " is kept; run again to resume)", e);
            } catch (SocketException | SocketTimeoutException | ClosedChannelException e) {
                checkCancelled(cancel, absolute);
                throw new NetdiskConnectionException("data connection lost during download: " + e.getMessage()
                        + " (the partial file " + part.getFileName() + " is kept; run again to resume)", e);
            }
            Reply done = readFinal(data, cancel, absolute);
            if (done.code() != 226) {
                throw new ReplyException(done.code(), done.text());
            }
        } finally {
            if (cancel != null) {
                cancel.detach();
            }
        }
        if (!actual.equals(md5)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException("checksum mismatch: expected " + md5 + ", received " + actual
                    + " (the partial file was discarded)", md5, actual);
        }
        FileStreams.setModificationTime(part, reply);  // before the rename: the file appears with its time
        if (options.overwrite()) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new TransferResult(absolute, target, size, md5, offset);
    }

    /** Which of size and time changed between two stamps, for the user. */
    private static String what(UploadStamps.Stamp before, UploadStamps.Stamp now) {
        if (before.size() != now.size()) {
            return "size " + before.size() + " -> " + now.size() + " bytes";
        }
        if (before.mtimeMillis() != now.mtimeMillis()) {
            return "modified " + java.time.Instant.ofEpochMilli(now.mtimeMillis());
        }
        return "another local file: " + before.local();
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
            if (client.files().stat(remote).isDirectory()) {
                return RemotePath.join(remote, name);
            }
        } catch (ReplyException e) {
            if (e.code() != 550) {
                throw e;
            }
        }
        return remote;
    }

    private DataConnection openData(String ticket, Cancellation cancel, String path) throws IOException {
        try {
            return DataConnection.open(host, port, ticket, CONNECT_TIMEOUT, DATA_TIMEOUT, cancel);
        } catch (ReplyException e) {
            throw e;
        } catch (IOException e) {
            checkCancelled(cancel, path);
            throw e;
        }
    }

    /** The data connection's final reply; a read failure after a cancellation is reported as the cancellation. */
    static Reply readFinal(DataConnection data, Cancellation cancel, String path) throws IOException {
        try {
            return data.readReply();
        } catch (IOException e) {
            checkCancelled(cancel, path);
            throw e;
        }
    }

    /** @throws TransferCancelledException when {@code cancel} (may be null) was cancelled */
    static void checkCancelled(Cancellation cancel, String path) throws TransferCancelledException {
        if (cancel != null && cancel.isCancelled()) {
            throw new TransferCancelledException("transfer of " + path + " cancelled");
        }
    }

    /** The exception for a failed final reply: {@code 554} is a {@link ChecksumMismatchException}. */
    static IOException failure(Reply reply, String md5) {
        if (reply.code() == 554) {
            return new ChecksumMismatchException(reply.toString(), md5, null);
        }
        return new ReplyException(reply.code(), reply.text());
    }

}
