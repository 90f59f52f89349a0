package dev.netdisk.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * MD5 as the protocol writes it: 32 hexadecimal digits, any case on the wire, lower case when
 * sent ({@code docs/PROTOCOL.md} section 6; the digest itself is RFC 1321's). Stateless.
 */
public final class Md5 {

    /** Exactly 32 hexadecimal digits, any case. */
    public static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{32}");

    private Md5() {
    }

    /** A fresh MD5 digest. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** Completes {@code digest} and returns it as 32 lower-case hex digits. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The MD5 of {@code bytes} as 32 lower-case hex digits. */
    public static String hex(byte[] bytes) {
        MessageDigest digest = newDigest();
        digest.update(bytes);
        return hex(digest);
    }

    /** Whether {@code text} is an MD5 as the protocol accepts it: 32 hex digits, any case. */
    public static boolean isHex(String text) {
        return HEX.matcher(text).matches();
    }
}
