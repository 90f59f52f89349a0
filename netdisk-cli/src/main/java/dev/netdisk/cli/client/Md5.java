package dev.netdisk.cli.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongConsumer;
import org.apache.commons.codec.binary.Hex;

/** MD5 helpers; files are hashed in bounded chunks, never read whole into memory. Stateless. */
final class Md5 {

    private Md5() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    static String hex(MessageDigest digest) {
        return Hex.encodeHexString(digest.digest());
    }

    /**
     * Feeds the first {@code length} bytes of a file into {@code digest}.
     *
     * @param progress told the number of bytes hashed so far, after every chunk
     * @param cancellation checked between chunks; may be {@code null}
     */
    static void update(MessageDigest digest, Path file, long length, LongConsumer progress,
                       Cancellation cancellation) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(NetdiskClient.CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            while (done < length) {
                if (cancellation != null && cancellation.isCancelled()) {
                    throw new TransferCancelledException("cancelled while hashing " + file);
                }
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), length - done));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException(file + " shrank while being hashed");
                }
                digest.update(buf.array(), 0, n);
                done += n;
                progress.accept(done);
            }
        }
    }
}
