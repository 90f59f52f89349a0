package dev.netdisk.server.ops;

import dev.netdisk.protocol.Md5;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.crypt.PartReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Checks stored content against its node's size and MD5 for {@link Backup}: plaintext as it is, and
 * content encrypted at rest by decrypting it with its data key, which authenticates every segment.
 * Without the master key an encrypted blob file can only be checked for its length.
 *
 * <p>Blocking (disk); one thread.
 */
final class ContentCheck {

    private static final int CHUNK = 1 << 20;

    /** The master key, or null when the backup runs without it. */
    private final MasterKey master;
    private long unverified;

    ContentCheck(MasterKey master) {
        this.master = master;
    }

    /** How many encrypted contents could only be checked for their length (no master key). */
    long unverified() {
        return unverified;
    }

    /**
     * Checks the blob file {@code file} of {@code blobId}; returns the problem, or null.
     *
     * @param wrappedKey its data key, or null for a blob stored before encryption at rest
     */
    String blobFile(Path file, String blobId, byte[] wrappedKey, String md5, long size) throws IOException {
        MessageDigest digest = Md5.newDigest();
        long read = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            if (wrappedKey == null) {
                while (in.read(buffer.clear()) >= 0) {
                    buffer.flip();
                    read += buffer.remaining();
                    digest.update(buffer);
                }
            } else if (master == null) {
                unverified++;
                long expected = DataKey.ciphertextSize(size);
                return in.size() == expected ? null : "blob " + blobId + " does not match: " + in.size()
                        + " encrypted bytes, expected " + expected;
            } else {
                PartReader reader = new PartReader(in, DataKey.of(master.unwrap(wrappedKey, blobId)), blobId, size);
                while (read < size) {
                    buffer.clear();
                    int n = reader.read(buffer, read);
                    buffer.flip();
                    read += n;
                    digest.update(buffer);
                }
            }
        } catch (IntegrityException e) {
            return "blob " + blobId + " does not match: " + e.getMessage();
        }
        String actual = Md5.hex(digest);
        if (read != size || !actual.equalsIgnoreCase(md5)) {
            return "blob " + blobId + " does not match: " + read + " bytes md5 " + actual + ", expected " + size
                    + " bytes md5 " + md5;
        }
        return null;
    }

    /** Checks a small file's content kept in the database; returns the problem, or null. */
    String inline(String blobId, byte[] content, byte[] wrappedKey, String md5, long size) {
        byte[] plain = content;
        if (wrappedKey != null) {
            if (master == null) {
                unverified++;
                return null;
            }
            try {
                plain = DataKey.of(master.unwrap(wrappedKey, blobId)).open(content, blobId);
            } catch (IntegrityException e) {
                return "blob " + blobId + " (in the database) does not match: " + e.getMessage();
            }
        }
        String actual = Md5.hex(plain);
        if (plain.length != size || !actual.equalsIgnoreCase(md5)) {
            return "blob " + blobId + " (in the database) does not match: " + plain.length + " bytes md5 " + actual
                    + ", expected " + size + " bytes md5 " + md5;
        }
        return null;
    }
}
