package dev.netdisk.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate's SHA-256 fingerprint in the one form the server prints, the client shows and
 * saves in {@code known_hosts}, and {@code --fingerprint} takes: {@code SHA256:} and 64 lower-case
 * hex digits of the digest of the DER encoding (what {@code openssl x509 -fingerprint -sha256}
 * prints, without its colons).
 */
public final class Fingerprint {

    private static final String PREFIX = "SHA256:";

    private Fingerprint() {
    }

    /** The fingerprint of {@code certificate}. */
    public static String of(X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a fingerprint as a person may type it: the {@code SHA256:} prefix optional, hex digits
     * in either case, with or without colons (openssl's form).
     *
     * @throws IllegalArgumentException when it is not 32 bytes of hex
     */
    public static String parse(String text) {
        String t = text.trim();
        if (t.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            t = t.substring(PREFIX.length());
        }
        t = t.replace(":", "").toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint (SHA256: and 64 hex digits): " + text);
        }
        return PREFIX + t;
    }
}
