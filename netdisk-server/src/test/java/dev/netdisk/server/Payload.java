package dev.netdisk.server;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * The content of a test file: literal bytes, or a seeded pseudo-random stream of any size that is
 * generated block by block as it is written, so a 256 MiB upload never sits in memory. Any range
 * can be generated again, which is what a resumed upload needs.
 */
final class Payload implements ProtocolClient.Content {

    private static final int BLOCK = 64 * 1024;

    private final byte[] literal;
    private final long seed;
    private final long size;
    private String md5;

    private Payload(byte[] literal, long seed, long size) {
        this.literal = literal;
        this.seed = seed;
        this.size = size;
    }

    static Payload of(byte[] bytes) {
        return new Payload(bytes.clone(), 0, bytes.length);
    }

    static Payload of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code size} pseudo-random bytes, the same for the same seed. */
    static Payload random(long seed, long size) {
        return new Payload(null, seed, size);
    }

    long size() {
        return size;
    }

    /** The MD5 of the whole content, lower-case hex (computed once, streaming). */
    synchronized String md5() {
        if (md5 == null) {
            MessageDigest digest = newMd5();
            byte[] block = new byte[BLOCK];
            for (long at = 0; at < size; at += BLOCK) {
                int n = (int) Math.min(BLOCK, size - at);
                fill(block, at / BLOCK);
                digest.update(literal != null ? literal : block, literal != null ? (int) at : 0, n);
            }
            md5 = Md5.hex(digest);
        }
        return md5;
    }

    /** The MD5 of bytes {@code from} (inclusive) to {@code to} (exclusive), lower-case hex. */
    String md5(long from, long to) {
        MessageDigest digest = newMd5();
        try {
            writeTo(new OutputStream() {
                @Override
                public void write(int b) {
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    digest.update(b, off, len);
                }
            }, from, to);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Md5.hex(digest);
    }

    /** Writes bytes {@code from} (inclusive) to {@code to} (exclusive). */
    @Override
    public void writeTo(OutputStream out, long from, long to) throws IOException {
        if (literal != null) {
            out.write(literal, (int) from, (int) (to - from));
            return;
        }
        byte[] block = new byte[BLOCK];
        long at = from;
        while (at < to) {
            long index = at / BLOCK;
            fill(block, index);
            int start = (int) (at - index * BLOCK);
            int end = (int) Math.min(BLOCK, to - index * BLOCK);
            out.write(block, start, end - start);
            at += end - start;
        }
    }

    private void fill(byte[] block, long index) {
        if (literal != null) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        ByteBuffer buffer = ByteBuffer.wrap(block);
        while (buffer.hasRemaining()) {
            buffer.putLong(random.nextLong());
        }
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
