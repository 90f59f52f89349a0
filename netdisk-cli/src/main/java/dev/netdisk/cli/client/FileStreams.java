package dev.netdisk.cli.client;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ModificationTime;
import dev.netdisk.protocol.PartialFileWriter;
import dev.netdisk.protocol.Reply;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * The one uploader and the one downloader of a file's bytes on a data connection
 * ({@code docs/PROTOCOL.md} section 6): under {@code upload}, {@code download} and {@code fetch}
 * (a ticket's one file, {@link Transfers}) and under {@code upload -r} and {@code download -r} (a
 * batch's files bigger than its {@code max-size}, {@code client.mirror}). Each makes one pass over
 * the bytes, hashing them as they move ({@link HashingCopy#copyOverlapped}), and checks the MD5 of
 * the whole file, a resumed transfer's kept bytes included.
 *
 * <p>Stateless; blocking.
 */
public final class FileStreams {

    private FileStreams() {
    }

    /**
     * Sends bytes {@code offset} to {@code size - 1} of {@code local} on {@code data} (after
     * whatever line is buffered there), then the trailer line {@code MD5 <md5>}.
     *
     * @param offset   bytes the server already holds: hashed from the local file, not sent
     * @param progress the position in the file after each chunk, in bytes
     * @return the MD5 of the whole local file as read, lower-case hex
     * @throws IOException the connection failed, or the file shrank while it was sent
     * @throws TransferCancelledException {@code cancel} (may be null) was cancelled
     */
    public static String send(DataConnection data, Path local, long offset, long size, LongConsumer progress,
                              Cancellation cancel) throws IOException {
        return send(data, local, offset, size, progress, cancel, true);
    }

    /**
     * {@link #send(DataConnection, Path, long, long, LongConsumer, Cancellation)}, with the trailer
     * line only when {@code trailer}: an upload that announced its MD5 up front sends the bytes alone.
     */
    public static String send(DataConnection data, Path local, long offset, long size, LongConsumer progress,
                              Cancellation cancel, boolean trailer) throws IOException {
        data.output().flush();
        MessageDigest digest;
        try (FileChannel ch = FileChannel.open(local, StandardOpenOption.READ)) {
            ch.position(offset);
            HashingCopy.Source source = dst -> {
                if (ch.read(dst) < 0) {
                    throw new IOException(local + " shrank during the upload");
                }
            };
            HashingCopy.Sink sink = src -> {
                while (src.hasRemaining()) {
                    data.channel().write(src);
                    data.moved();
                }
            };
            digest = HashingCopy.copyOverlapped(source, sink, size - offset, local, offset,
                    done -> progress.accept(offset + done), cancel);
        }
        String md5 = Md5.hex(digest);
        if (trailer) {
            data.writeLine("MD5 " + md5);
        } else {
            data.output().flush();
        }
        return md5;
    }

    /**
     * Receives bytes {@code offset} to {@code size - 1} of a file into {@code part} (cut to
     * {@code offset} first: the bytes kept from an earlier attempt stay) and makes them durable.
     *
     * @param progress the position in the file after each chunk, in bytes
     * @return the MD5 of the whole {@code part} file, lower-case hex: the caller compares it with the server's
     * @throws EOFException the connection ended before the last byte ({@code part} keeps what arrived)
     * @throws TransferCancelledException {@code cancel} (may be null) was cancelled
     */
    public static String receive(DataConnection data, Path part, long offset, long size, LongConsumer progress,
                                 Cancellation cancel) throws IOException {
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.position(offset);
            long[] received = {offset};
            HashingCopy.Source source = dst -> {
                int n = data.drainBuffered(dst);
                if (n == 0) {
                    n = data.channel().read(dst);
                }
                if (n < 0) {
                    throw new EOFException("got " + received[0] + " of " + size + " bytes");
                }
                received[0] += n;
                data.moved();
            };
            MessageDigest digest;
            try (PartialFileWriter writer = PartialFileWriter.open(part, ch, offset, size - offset,
                    PartialFileWriter.DIRECT_MIN_BYTES)) {
                digest = HashingCopy.copyOverlapped(source, writer::append, size - offset, part, offset,
                        done -> progress.accept(offset + done), cancel);
            }
            ch.force(true);
            return Md5.hex(digest);
        }
    }

    /**
     * Gives {@code file} the modification time in {@code reply}'s {@code mtime=} word (a download's
     * {@code 350} or a batch download's {@code 150}); a server that sends none leaves it as it is.
     */
    public static void setModificationTime(Path file, Reply reply) throws IOException {
        String word = reply.params().get("mtime");
        OptionalLong millis = word == null ? OptionalLong.empty()
                : ModificationTime.parse(ModificationTime.PREFIX + word);
        if (millis.isPresent()) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(millis.getAsLong()));
        }
    }
}
