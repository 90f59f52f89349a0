package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.ChecksumMismatchException;
import dev.netdisk.cli.client.DataConnection;
import dev.netdisk.cli.client.FileStreams;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ModificationTime;
import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.Reply;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;

/**
 * A batch data connection (PROTOCOL.md section 6, "Many files on one data connection"): many
 * uploads and downloads named one after another, each upload an {@code UPLOAD path size md5|-}
 * line and its bytes (then, for {@code -}, the trailer line), each download a
 * {@code DOWNLOAD path} line, with no ticket or round trip per file; the server answers each with
 * one line, in the order sent, and a download's line with the file's bytes after it. A file of at
 * most {@link #maxSize} moves in memory; a bigger one is streamed by {@link FileStreams}, as a
 * single file's transfer is.
 *
 * <p>Threading: one thread sends ({@link #send} and {@link #askDownload}, then {@link #end})
 * while another reads the answers ({@link #next} and {@link #readBytes}); they never wait for
 * each other, so neither side's buffers fill up with the other waiting. {@link #close} may be
 * called from any thread and makes both fail.
 */
final class BatchConnection implements AutoCloseable {

    /** Output buffer: many small files go out in one write. */
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DATA_TIMEOUT = Duration.ofMinutes(2);

    private final DataConnection data;
    private final long maxSize;

    private BatchConnection(DataConnection data, long maxSize) {
        this.data = data;
        this.maxSize = maxSize;
    }

    /**
     * Asks {@code client}'s server for a batch ({@code BATCH}) and opens its data connection.
     *
     * @param cancel closes the connection when cancelled
     * @return the open batch, or null when the server refused one for now (such as {@code 450},
     *         too many transfers); the files then go one by one
     * @throws IOException the control connection failed, or the data connection could not be opened
     */
    static BatchConnection open(NetdiskClient client, Cancellation cancel) throws IOException {
        Reply ticket = client.requestBatch();
        if (ticket.code() != 350) {
            return null;
        }
        long maxSize = ticket.longParam("max-size");
        DataConnection data = DataConnection.open(client.host(), client.port(), ticket.param("ticket"),
                CONNECT_TIMEOUT, DATA_TIMEOUT, cancel, BUFFER_BYTES);
        return new BatchConnection(data, maxSize);
    }

    /** A local file read whole, its MD5 (lower-case hex) and its modification time (milliseconds, read first). */
    record Content(byte[] bytes, String md5, long mtimeMillis) {
        static Content read(Path local) throws IOException {
            long mtime = Files.getLastModifiedTime(local).toMillis();
            byte[] bytes = Files.readAllBytes(local);
            MessageDigest digest = Md5.newDigest();
            digest.update(bytes);
            return new Content(bytes, Md5.hex(digest), mtime);
        }
    }

    /** The {@code UPLOAD} line for a file at the absolute remote path {@code remote}, with its time. */
    static String uploadLine(String remote, Content content, boolean overwrite, long mtimeMillis) {
        return Arguments.command("UPLOAD", Arguments.path(remote), Long.toString(content.bytes().length),
                content.md5(), ModificationTime.word(mtimeMillis)) + (overwrite ? " --overwrite" : "");
    }

    /**
     * Checks a small file's bytes against the MD5 of its {@code 150} answer (as the server stored
     * it) and puts them at {@code target} with the answer's time, replacing a file there: written
     * to {@code NAME.part}, then renamed over it (atomic; not forced to disk).
     *
     * @throws ChecksumMismatchException the bytes do not match (nothing was written)
     */
    static void write(Path target, byte[] bytes, Reply answer) throws IOException {
        String expected = answer.param("md5").toLowerCase(Locale.ROOT);
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
        FileStreams.setModificationTime(part, answer);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The largest file that moves in memory, in bytes; a bigger one is streamed. */
    long maxSize() {
        return maxSize;
    }

    /**
     * Queues one file: its line ({@link #uploadLine}, an absolute remote path) and its
     * bytes. They go out when the buffer fills, or at {@link #end}.
     *
     * @throws IOException the connection is gone
     */
    void send(String uploadLine, byte[] bytes) throws IOException {
        OutputStream out = data.output();
        out.write((uploadLine + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        data.moved();
    }

    /**
     * Sends one file bigger than {@link #maxSize}: its line, then its {@code size} bytes read from
     * {@code local} and hashed on the way, then the trailer line with their MD5.
     *
     * @throws IOException the connection is gone, or the file shrank (the connection cannot go on)
     */
    void sendStreamed(String remote, Path local, long size, boolean overwrite) throws IOException {
        long mtime = Files.getLastModifiedTime(local).toMillis();
        data.output().write((Arguments.command("UPLOAD", Arguments.path(remote), Long.toString(size), "-",
                ModificationTime.word(mtime))
                + (overwrite ? " --overwrite" : "") + "\n").getBytes(StandardCharsets.UTF_8));
        FileStreams.send(data, local, 0, size, done -> { }, null);
    }

    /**
     * Reads the {@code size} bytes that follow a download's {@code 150} into {@code target}'s
     * {@code NAME.part}, checks them against the answer's MD5 and renames the part over
     * {@code target}, with the answer's time.
     *
     * @throws ChecksumMismatchException the bytes do not match (the part is deleted; the stream goes on)
     * @throws IOException the connection or the local disk failed (the stream cannot go on)
     */
    void receiveStreamed(Path target, long size, Reply answer) throws IOException {
        String md5 = answer.param("md5");
        Path part = target.resolveSibling(target.getFileName() + ".part");
        String actual = FileStreams.receive(data, part, 0, size, done -> { }, null);
        String expected = md5.toLowerCase(Locale.ROOT);
        if (!actual.equals(expected)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException("checksum mismatch: expected " + expected + ", received " + actual
                    + " (nothing was written)", expected, actual);
        }
        FileStreams.setModificationTime(part, answer);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Queues a download of the whole file at the absolute remote path {@code remote}; its answer is
     * {@code 150 size=S md5=M} followed by {@code S} bytes ({@link #readBytes}), or a refusal.
     *
     * @throws IOException the connection is gone
     */
    void askDownload(String remote) throws IOException {
        data.output().write(("DOWNLOAD " + Arguments.path(remote) + "\n").getBytes(StandardCharsets.UTF_8));
        data.moved();
    }

    /** Sends {@code QUIT} after the last file: the server answers what was sent, then {@code 221}. */
    void end() throws IOException {
        OutputStream out = data.output();
        out.write("QUIT\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        data.moved();
    }

    /**
     * The next reply: the answer to each file, in the order sent ({@code 226 size=... md5=...}
     * when stored, {@code 150 size=... md5=...} before a download's bytes, else a refusal), then
     * the batch's last ({@code 221} after {@link #end}, or the error that ended it early).
     */
    Reply next() throws IOException {
        return data.readReply();
    }

    /**
     * Reads the {@code size} bytes that follow a download's {@code 150}.
     *
     * @throws EOFException the connection ended before them
     */
    byte[] readBytes(int size) throws IOException {
        byte[] bytes = data.input().readNBytes(size);
        data.moved();
        if (bytes.length < size) {
            throw new EOFException("data connection closed after " + bytes.length + " of " + size + " bytes");
        }
        return bytes;
    }

    @Override
    public void close() {
        data.close();
    }
}
