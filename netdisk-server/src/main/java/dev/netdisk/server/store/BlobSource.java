package dev.netdisk.server.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The stored bytes of one complete blob, read at any position: a local file, or an S3 object read
 * by ranged GETs. For an encrypted blob these are the ciphertext, which
 * {@link dev.netdisk.server.crypt.PartReader} decrypts.
 *
 * <p>Not thread-safe: one reader (a download, one pool thread at a time).
 */
public interface BlobSource extends Closeable {

    /** The stored size in bytes. */
    long size() throws IOException;

    /**
     * Reads stored bytes from {@code position} into {@code dst}, at least one unless at the end.
     *
     * @return the bytes read, or -1 at the end
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** The open local file, for sendfile ({@code transferTo}) of a blob stored in plaintext; null elsewhere. */
    default FileChannel file() {
        return null;
    }

    /** A local file, open for reading; closing the source closes it. */
    static BlobSource of(FileChannel file) {
        return new BlobSource() {
            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return file.read(dst, position);
            }

            @Override
            public FileChannel file() {
                return file;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
