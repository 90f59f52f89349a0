package dev.netdisk.server.crypt;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.StreamSegmentDecrypter;
import dev.netdisk.server.store.BlobSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * Reads the plaintext of an encrypted blob file (format in {@link DataKey}) from any offset: the
 * segment holding the offset is read, authenticated and decrypted whole with Tink's segment
 * decrypter, as Tink's seekable decrypting channel does (the part's header first, the segment's
 * number, and the last segment of a part checked as the last), and kept for the reads that follow
 * it. A segment that fails its check throws {@link IntegrityException} before any of its bytes are
 * returned.
 *
 * <p>The segment buffers are this reader's, reused by every part and segment: Tink's channel
 * allocates its own for each part, garbage that set off the server's young collections during
 * downloads (docs/PERFORMANCE.md, "`NOOP` during four uploads").
 *
 * <p>Not thread-safe: one reader per download, one pool thread at a time. It does not close the source.
 */
public final class PartReader {

    /** Room JCE providers may ask for beyond a segment's plaintext, as Tink's channel leaves. */
    private static final int PLAINTEXT_SLACK = 16;

    private final BlobSource file;
    private final String blobId;
    private final long size;
    private final AesGcmHkdfStreaming aead;
    private final ByteBuffer header;
    /** Made on the first read, sized for this file's largest segment. */
    private ByteBuffer ciphertext;
    private ByteBuffer plaintext;
    /** The decrypter of the open part (its header read), or null. */
    private StreamSegmentDecrypter part;
    private long openPart = -1;
    /** The segment of the open part that {@link #plaintext} holds, or -1. */
    private int segment = -1;

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
        this.blobId = blobId;
        this.size = size;
        this.aead = key.streaming();
        this.header = ByteBuffer.allocate(aead.getHeaderLength());
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
     * Reads plaintext from {@code position} into {@code dst}, as much as fits up to the end of the
     * segment holding it (at least one byte).
     *
     * @return the bytes read, or -1 at the end of the file
     * @throws IntegrityException when a header or segment does not authenticate, or the file ends early
     */
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= size) {
            return -1;
        }
        long partNo = position / DataKey.PART_BYTES;
        long inPart = position - partNo * DataKey.PART_BYTES;
        long partCiphertext = DataKey.ciphertextSize(Math.min(DataKey.PART_BYTES, size - partNo * DataKey.PART_BYTES));
        long partStart = partNo * DataKey.PART_CIPHERTEXT_BYTES;
        int offset = aead.getCiphertextOffset();
        int plainSegment = aead.getPlaintextSegmentSize();
        int segmentNo = (int) ((inPart + offset) / plainSegment);
        int inSegment = segmentNo == 0 ? (int) inPart : (int) ((inPart + offset) % plainSegment);
        try {
            if (partNo != openPart) {
                openPart(partNo, partStart);
            }
            if (segmentNo != segment) {
                loadSegment(segmentNo, partStart, partCiphertext);
            }
        } catch (GeneralSecurityException e) {
            segment = -1;
            throw new IntegrityException("blob " + blobId + " failed its integrity check at byte " + position, e);
        }
        plaintext.position(inSegment);
        int n = Math.min(plaintext.remaining(), dst.remaining());
        if (n == 0 && dst.hasRemaining()) {
            throw new IntegrityException("part " + partNo + " of blob " + blobId + " ends early");
        }
        ByteBuffer run = plaintext.slice();
        run.limit(n);
        dst.put(run);
        return n;
    }

    /** Reads part {@code partNo}'s header and starts its decrypter. */
    private void openPart(long partNo, long partStart) throws IOException, GeneralSecurityException {
        openPart = -1;
        segment = -1;
        header.clear();
        readFully(header, partStart, partNo);
        header.flip();
        StreamSegmentDecrypter decrypter = aead.newStreamSegmentDecrypter();
        decrypter.init(header, DataKey.partAad(blobId, partNo));
        part = decrypter;
        openPart = partNo;
        if (ciphertext == null) {
            ciphertext = ByteBuffer.allocate((int) Math.min(aead.getCiphertextSegmentSize(), DataKey.ciphertextSize(size)));
            plaintext = ByteBuffer.allocate((int) Math.min(aead.getPlaintextSegmentSize(), size) + PLAINTEXT_SLACK);
        }
    }

    /** Reads, authenticates and decrypts segment {@code segmentNo} of the open part into {@link #plaintext}. */
    private void loadSegment(int segmentNo, long partStart, long partCiphertext) throws IOException, GeneralSecurityException {
        segment = -1;
        int cipherSegment = aead.getCiphertextSegmentSize();
        int offset = aead.getCiphertextOffset();
        long from = segmentNo == 0 ? offset : (long) segmentNo * cipherSegment;
        long to = Math.min((long) (segmentNo + 1) * cipherSegment, partCiphertext);
        if (from >= to) {
            throw new IntegrityException("part " + openPart + " of blob " + blobId + " has no segment " + segmentNo);
        }
        boolean last = to == partCiphertext;
        ciphertext.clear();
        ciphertext.limit((int) (to - from));
        readFully(ciphertext, partStart + from, openPart);
        ciphertext.flip();
        plaintext.clear();
        part.decryptSegment(ciphertext, segmentNo, last, plaintext);
        plaintext.flip();
        segment = segmentNo;
    }

    /** Fills {@code dst} from byte {@code at} of the file. */
    private void readFully(ByteBuffer dst, long at, long partNo) throws IOException {
        while (dst.hasRemaining()) {
            if (file.read(dst, at + dst.position()) < 0) {
                throw new IntegrityException("part " + partNo + " of blob " + blobId + " ends early");
            }
        }
    }
}
