package dev.netdisk.cli.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A link to one of your files (PROTOCOL.md section 9): any logged-in user can {@code FETCH} it by
 * its code.
 *
 * @param code    16 characters from {@code a-z} and {@code 2-7}
 * @param expires when it stops working, or {@code null} for never
 * @param path    the file's current path
 */
public record ShareLink(String code, Instant expires, String path) {

    /** Parses a {@code SHARE LINKS} line {@code CODE EXPIRES PATH}; the path is the rest of the line. */
    static ShareLink parse(String line) {
        String[] f = line.split(" ", 3);
        if (f.length < 3) {
            throw new IllegalArgumentException("malformed link line: " + line);
        }
        return new ShareLink(f[0], parseExpires(f[1]), f[2]);
    }

    static Instant parseExpires(String text) {
        if (text.equals("never")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("malformed expiry: " + text, e);
        }
    }
}
