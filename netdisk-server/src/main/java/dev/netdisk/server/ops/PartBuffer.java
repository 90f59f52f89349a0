package dev.netdisk.server.ops;

import dev.netdisk.server.store.BlobSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * For {@code migrate}: a stored blob as {@link dev.netdisk.server.crypt.PartReader} sees it: its full size, and the bytes of the one part
 * loaded, which is the only part read while that part is being decrypted. One thread.
 */
final class PartBuffer implements BlobSource {
    private final long size;
    private byte[] bytes = new byte[0];
    private long start;

    PartBuffer(long size) {
        this.size = size;
    }

    void load(FileChannel file, long from, int length) throws IOException {
        bytes = new byte[length];
        ByteBuffer dst = ByteBuffer.wrap(bytes);
        while (dst.hasRemaining()) {
            if (file.read(dst, from + dst.position()) < 0) {
                throw new IOException("the blob file ended early at byte " + (from + dst.position()));
            }
        }
        start = from;
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position < start || position > start + bytes.length) {
            throw new IOException("read at " + position + " outside the part loaded");
        }
        int n = (int) Math.min(dst.remaining(), start + bytes.length - position);
        if (n == 0) {
            return -1;
        }
        dst.put(bytes, (int) (position - start), n);
        return n;
    }

    @Override
    public void close() {
    }
}
