package dev.netdisk.server.crypt;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * One file's data key (256 random bits) and the content format built on it.
 *
 * <ul>
 *   <li>A file kept in the database (64 KiB or less) is one Tink AES-256-GCM ciphertext
 *       ({@link #seal}, {@link #open}): 12-byte nonce, the bytes, 16-byte tag; associated data the
 *       blob id.
 *   <li>A blob file is a sequence of <b>parts</b>, each {@link #PART_BYTES} of plaintext (the last
 *       one shorter), each its own Tink {@code AES256_GCM_HKDF_1MB} streaming ciphertext
 *       ({@link AesGcmHkdfStreaming}: a 40-byte header with a random salt and nonce prefix, then
 *       1 MiB segments, each sealed with AES-256-GCM under a key derived by HKDF-SHA256), with
 *       associated data {@code blobId:partNumber}. Parts are independent, so a resumed upload
 *       appends new parts without touching the kept ones (a part that was cut short is written
 *       again), and a read from any offset opens only its part and decrypts from the nearest
 *       segment. Part {@code k} starts at byte {@code k * }{@link #PART_CIPHERTEXT_BYTES} of the
 *       file. Like the parts of an S3 multipart upload.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class DataKey {

    /**
     * Plaintext bytes per part of a blob file: 8 MiB. A resumed upload restarts at a multiple of it,
     * so at most this much is sent again; S3 takes parts from 5 MiB, for a later object store.
     */
    public static final long PART_BYTES = 8L << 20;
    /** Tink's ciphertext segment size: {@code AES256_GCM_HKDF_1MB}. */
    static final int SEGMENT_BYTES = 1 << 20;
    private static final int KEY_BYTES = 32;
    private static final String HKDF = "HmacSha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Sizes only: the format's lengths do not depend on the key. */
    private static final AesGcmHkdfStreaming SIZES = streaming(new byte[KEY_BYTES]);
    /** The ciphertext bytes of a full part. */
    public static final long PART_CIPHERTEXT_BYTES = SIZES.expectedCiphertextSize(PART_BYTES);

    private final byte[] key;
    /** Made on first use: a small file's key never needs it. */
    private volatile AesGcmHkdfStreaming streaming;

    private DataKey(byte[] key) {
        this.key = key;
    }

    /** A new random data key. */
    public static DataKey generate() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return new DataKey(key);
    }

    /** The data key {@code key} (32 bytes, from {@link MasterKey#unwrap}). */
    public static DataKey of(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        return new DataKey(key.clone());
    }

    /** The raw key, for {@link MasterKey#wrap} only. */
    byte[] raw() {
        return key.clone();
    }

    private static AesGcmHkdfStreaming streaming(byte[] key) {
        try {
            return new AesGcmHkdfStreaming(key, HKDF, KEY_BYTES, SEGMENT_BYTES, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused AES256_GCM_HKDF_1MB", e);
        }
    }

    /** Tink's streaming AEAD of this key, for {@link PartWriter} and {@link PartReader}. */
    AesGcmHkdfStreaming streaming() {
        AesGcmHkdfStreaming s = streaming;
        if (s == null) {
            s = streaming(key);
            streaming = s;
        }
        return s;
    }

    /** The associated data of part {@code part} of blob {@code blobId}. */
    static byte[] partAad(String blobId, long part) {
        return (blobId + ":" + part).getBytes(StandardCharsets.US_ASCII);
    }

    /** The size of a blob file holding {@code plaintext} bytes, in bytes. */
    public static long ciphertextSize(long plaintext) {
        long full = plaintext / PART_BYTES;
        long rest = plaintext % PART_BYTES;
        return full * PART_CIPHERTEXT_BYTES + (rest > 0 ? SIZES.expectedCiphertextSize(rest) : 0);
    }

    /**
     * How many plaintext bytes of a partial file of {@code fileBytes} bytes can be kept for resume:
     * its complete parts. What follows them (a part cut short) is written again.
     */
    public static long keptPlaintext(long fileBytes) {
        return fileBytes / PART_CIPHERTEXT_BYTES * PART_BYTES;
    }

    /**
     * {@link #keptPlaintext(long)} of the partial file of an upload of {@code size} bytes, or all
     * of them when every byte was written and the last part sealed (a bad checksum trailer keeps
     * them so). A part cut short holds whole 1 MiB segments (or the 40-byte header alone), so a file
     * of exactly {@link #ciphertextSize} whose last segment is shorter than that is the whole file.
     */
    public static long keptPlaintext(long fileBytes, long size) {
        long lastPart = ciphertextSize(size) - size / PART_BYTES * PART_CIPHERTEXT_BYTES;
        if (fileBytes == ciphertextSize(size) && lastPart > 0 && lastPart % SEGMENT_BYTES != 0) {
            return size;
        }
        return Math.min(keptPlaintext(fileBytes), size);
    }

    /** Encrypts a small file's bytes, kept in the database under {@code blobId}. */
    public byte[] seal(byte[] plaintext, String blobId) {
        try {
            return new AesGcmJce(key).encrypt(plaintext, blobId.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to encrypt", e);
        }
    }

    /**
     * Decrypts what {@link #seal} made.
     *
     * @throws IntegrityException when the bytes or the blob id are not those sealed
     */
    public byte[] open(byte[] ciphertext, String blobId) throws IntegrityException {
        try {
            return new AesGcmJce(key).decrypt(ciphertext, blobId.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IntegrityException("stored content of blob " + blobId + " failed its integrity check", e);
        }
    }
}
