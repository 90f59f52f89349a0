package dev.netdisk.server.store.s3;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.BlobSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A complete blob in S3, read by ranged GETs: each read continues the open response when it is
 * where the last one stopped, else opens {@code Range: bytes=P-E} from the position to the end of
 * the encrypted part holding it ({@link DataKey#PART_CIPHERTEXT_BYTES}), so a read from an offset
 * fetches only its part, from its segment on, and memory stays one read's buffer.
 *
 * <p>Not thread-safe: one download, one pool thread at a time.
 */
final class S3Source implements BlobSource {

    private final S3BlobStore store;
    private final String key;
    private final long size;
    private ResponseInputStream<GetObjectResponse> stream;
    /** The object position of {@link #stream}'s next byte, and where its range ends (exclusive). */
    private long streamAt;
    private long streamEnd;
    private byte[] copy;

    S3Source(S3BlobStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (stream == null || position != streamAt || streamAt >= streamEnd) {
            open(position);
        }
        int want = (int) Math.min(dst.remaining(), streamEnd - streamAt);
        int n;
        if (dst.hasArray()) {
            n = readFully(stream, dst.array(), dst.arrayOffset() + dst.position(), want);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            if (copy == null || copy.length < want) {
                copy = new byte[Math.max(want, 64 << 10)];
            }
            n = readFully(stream, copy, 0, want);
            if (n > 0) {
                dst.put(copy, 0, n);
            }
        }
        if (n <= 0) {
            throw new IOException("object " + key + " ended at " + streamAt + " of " + size + " bytes");
        }
        streamAt += n;
        return n;
    }

    /** Reads up to {@code len} bytes, at least one unless the stream ended; -1 at its end. */
    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                return done == 0 ? -1 : done;
            }
            done += n;
        }
        return done;
    }

    private void open(long position) throws IOException {
        closeStream();
        long part = position / DataKey.PART_CIPHERTEXT_BYTES;
        long end = Math.min(size, (part + 1) * DataKey.PART_CIPHERTEXT_BYTES);
        try {
            stream = store.client().getObject(b -> b.bucket(store.location().bucket()).key(key)
                    .range("bytes=" + position + "-" + (end - 1)));
        } catch (SdkException e) {
            throw S3Errors.translate(store.location(), "GET " + key, e);
        }
        streamAt = position;
        streamEnd = end;
    }

    private void closeStream() {
        if (stream != null) {
            if (streamAt < streamEnd) {
                stream.abort(); // do not drain the rest of the range to reuse the connection
            }
            try {
                stream.close();
            } catch (IOException ignored) {
                // read-only
            }
            stream = null;
        }
    }

    @Override
    public void close() {
        closeStream();
    }
}
