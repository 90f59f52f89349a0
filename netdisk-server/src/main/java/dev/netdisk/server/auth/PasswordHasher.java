package dev.netdisk.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with the JDK's PBKDF2-HMAC-SHA256 (RFC 8018, section 5.2), a random 16-byte
 * salt per password, and a 256-bit derived key. The iteration count is stored with each hash, so
 * raising it later does not break existing accounts.
 *
 * <p>Thread-safe. Deliberately slow (hundreds of milliseconds at 600,000 iterations): run it on a
 * worker thread, never on the selector thread.
 */
public final class PasswordHasher {

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;

    /**
     * A stored hash.
     *
     * @param hash       the derived key, 32 bytes
     * @param salt       the salt, 16 bytes
     * @param iterations the PBKDF2 iteration count
     */
    public record Hash(byte[] hash, byte[] salt, int iterations) {
    }

    private final SecureRandom random = new SecureRandom();
    private final int iterations;
    private final Hash dummy;

    /** @param iterations the iteration count for new hashes */
    public PasswordHasher(int iterations) {
        this.iterations = iterations;
        this.dummy = hash("not a password of anyone");
    }

    /** Hashes a new password with a fresh salt. */
    public Hash hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new Hash(derive(password, salt, iterations), salt, iterations);
    }

    /** Whether {@code password} matches {@code stored}, compared in constant time. */
    public boolean verify(String password, Hash stored) {
        byte[] derived = derive(password, stored.salt(), stored.iterations());
        return MessageDigest.isEqual(derived, stored.hash());
    }

    /**
     * Spends the time of one {@link #verify} for a user that does not exist, so that the reply to
     * an unknown user takes as long as the reply to a wrong password.
     */
    public void verifyNobody(String password) {
        verify(password, dummy);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java SE platform", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /** The UTF-8 length of a password, for the protocol's limits. */
    public static int byteLength(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length;
    }
}
