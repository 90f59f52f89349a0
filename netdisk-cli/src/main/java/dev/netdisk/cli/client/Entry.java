package dev.netdisk.cli.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One file or directory as {@code LS} and {@code STAT} describe it (PROTOCOL.md section 5, "Entries").
 *
 * @param type  file or directory
 * @param size  the size in bytes; {@code 0} for a directory
 * @param mtime the last modification time
 * @param md5   32 lower-case hex digits, or {@code null} for a directory
 * @param name  the entry's name (one path component; {@code "/"} for the root)
 */
public record Entry(Type type, long size, Instant mtime, String md5, String name) {

    /** The two kinds of entry, with their protocol letters. */
    public enum Type {
        FILE('f'), DIRECTORY('d');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        /** The protocol letter: {@code f} or {@code d}. */
        public char letter() {
            return letter;
        }
    }

    public Entry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(name, "name");
    }

    /** True for a directory. */
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /**
     * Parses an entry line {@code TYPE SIZE MTIME MD5 NAME}; the name is the rest of the line.
     *
     * @throws IllegalArgumentException if the line does not have that shape
     */
    public static Entry parse(String line) {
        int s1 = line.indexOf(' ');
        int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
        int s3 = s2 < 0 ? -1 : line.indexOf(' ', s2 + 1);
        int s4 = s3 < 0 ? -1 : line.indexOf(' ', s3 + 1);
        if (s4 < 0 || s4 + 1 >= line.length()) {
            throw new IllegalArgumentException("not an entry line: " + line);
        }
        Type type;
        if (s1 == 1 && line.charAt(0) == 'f') {
            type = Type.FILE;
        } else if (s1 == 1 && line.charAt(0) == 'd') {
            type = Type.DIRECTORY;
        } else {
            throw new IllegalArgumentException("unknown entry type '" + line.substring(0, s1) + "': " + line);
        }
        try {
            long size = Long.parseLong(line, s1 + 1, s2, 10);
            Instant mtime = parseTimestamp(line, s2 + 1, s3);
            String md5 = s4 == s3 + 2 && line.charAt(s3 + 1) == '-' ? null
                    : line.substring(s3 + 1, s4).toLowerCase(java.util.Locale.ROOT);
            return new Entry(type, size, mtime, md5, line.substring(s4 + 1));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("malformed entry line: " + line, e);
        }
    }

    /**
     * The instant in {@code text[from, to)}: the servers' fixed shape {@code yyyy-MM-ddTHH:mm:ss.SSSZ}
     * is read digit by digit (an {@link Instant#parse} per entry dominated a 10,000-entry
     * listing); any other ISO-8601 instant goes to {@link Instant#parse}.
     */
    static Instant parseTimestamp(String text, int from, int to) {
        if (to - from == 24 && text.charAt(from + 4) == '-' && text.charAt(from + 7) == '-'
                && text.charAt(from + 10) == 'T' && text.charAt(from + 13) == ':' && text.charAt(from + 16) == ':'
                && text.charAt(from + 19) == '.' && text.charAt(from + 23) == 'Z') {
            int year = digits(text, from, 4);
            int month = digits(text, from + 5, 2);
            int day = digits(text, from + 8, 2);
            int hour = digits(text, from + 11, 2);
            int minute = digits(text, from + 14, 2);
            int second = digits(text, from + 17, 2);
            int millis = digits(text, from + 20, 3);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0
                    && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
                long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second,
                        millis * 1_000_000L);
            }
        }
        return Instant.parse(text.substring(from, to));
    }

    /** The decimal number of {@code count} ASCII digits at {@code at}, or -1 if one is not a digit. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** This entry as a protocol entry line, the inverse of {@link #parse(String)}. */
    public String toLine() {
        return type.letter() + " " + size + " " + mtime + " " + (md5 == null ? "-" : md5) + " " + name;
    }
}
