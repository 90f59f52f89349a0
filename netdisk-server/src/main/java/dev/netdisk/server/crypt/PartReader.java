package dev.netdisk.server.crypt;

import dev.netdisk.server.store.BlobSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;

/**
 * Reads the plaintext of an encrypted blob file (format in {@link DataKey}) from any offset: the
 * part holding the offset is opened with Tink's seekable decrypting channel, which authenticates
 * and decrypts from the segment holding the offset on. A segment that fails its check throws
 * {@link IntegrityException} before any of its bytes are returned.
 *
 * <p>Not thread-safe: one reader per download, one pool thread at a time. It does not close the source.
 */
public final class PartReader {

    private final BlobSource file;
    private final DataKey key;
    private final String blobId;
    private final long size;
    private long openPart = -1;
    private SeekableByteChannel part;

    /**
     * @param size the plaintext size of the file (its node's size)
     * @throws IntegrityException when the file's length is not that of {@code size} bytes of plaintext
     */
    public PartReader(java.nio.channels.FileChannel file, DataKey key, String blobId, long size) throws IOException {
        this(BlobSource.of(file), key, blobId, size);
    }

    /**
     * Reads the stored blob {@code file} (a local file, or an object read by ranged GETs).
     *
     * @param size the plaintext size of the file (its node's size)
     * @throws IntegrityException when the stored length is not that of {@code size} bytes of plaintext
     */
    public PartReader(BlobSource file, DataKey key, String blobId, long size) throws IOException {
        this.file = file;
        this.key = key;
        this.blobId = blobId;
        this.size = size;
        long expected = DataKey.ciphertextSize(size);
        long actual = file.size();
        if (actual != expected) {
            throw new IntegrityException("blob " + blobId + " has " + actual + " bytes, not the " + expected
                    + " bytes of " + size + " encrypted bytes: cut short or changed");
        }
    }

    /** The blob whose file this reads. */
    public String blobId() {
        return blobId;
    }

    /** The plaintext size. */
    public long size() {
        return size;
    }

    /**
     * Reads plaintext from {@code position} into {@code dst}, as much as fits (up to the end of its part).
     *
     * @return the bytes read, or -1 at the end of the file
     * @throws IntegrityException when a segment does not authenticate
     */
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= size) {
            return -1;
        }
        long partNo = position / DataKey.PART_BYTES;
        if (partNo != openPart) {
            long partPlain = Math.min(DataKey.PART_BYTES, size - partNo * DataKey.PART_BYTES);
            Slice slice = new Slice(partNo * DataKey.PART_CIPHERTEXT_BYTES, DataKey.ciphertextSize(partPlain));
            try {
                part = key.streaming().newSeekableDecryptingChannel(slice, DataKey.partAad(blobId, partNo));
            } catch (GeneralSecurityException e) {
                throw new IntegrityException("part " + partNo + " of blob " + blobId + " failed its integrity check", e);
            }
            openPart = partNo;
        }
        try {
            part.position(position - partNo * DataKey.PART_BYTES);
            int n = part.read(dst);
            if (n < 0) {
                throw new IntegrityException("part " + partNo + " of blob " + blobId + " ends early");
            }
            return n;
        } catch (IntegrityException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof ClosedChannelException) {
                throw e;
            }
            // Tink reports a header or segment that fails authentication as an IOException caused
            // by the GeneralSecurityException; a failed file read is the slice's own exception.
            if (e.getCause() instanceof GeneralSecurityException) {
                throw new IntegrityException("blob " + blobId + " failed its integrity check at byte " + position, e);
            }
            throw e;
        }
    }

    /** Bytes {@code start} to {@code start + length - 1} of the file, as Tink's source. */
    private final class Slice implements SeekableByteChannel {
        private final long start;
        private final long length;
        private long at;

        Slice(long start, long length) {
            this.start = start;
            this.length = length;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (at >= length) {
                return -1;
            }
            ByteBuffer view = dst;
            int oldLimit = dst.limit();
            if (dst.remaining() > length - at) {
                dst.limit((int) (dst.position() + (length - at)));
            }
            try {
                int n = file.read(view, start + at);
                if (n > 0) {
                    at += n;
                }
                return n;
            } finally {
                dst.limit(oldLimit);
            }
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return at;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            at = newPosition;
            return this;
        }

        @Override
        public long size() {
            return length;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // the file belongs to the download
        }
    }
}
