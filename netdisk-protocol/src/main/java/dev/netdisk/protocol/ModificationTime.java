package dev.netdisk.protocol;

import java.time.LocalDate;
import java.util.OptionalLong;

/**
 * A file's modification time on the wire: the word {@code mtime=MILLIS} (milliseconds since the
 * epoch, UTC) that an {@code UPLOAD} may carry and that {@code DOWNLOAD}'s {@code 350} and a batch
 * download's {@code 150} carry ({@code docs/PROTOCOL.md} section 6). Times from 0001-01-01 to
 * 9999-12-31 are allowed: the years an entry line writes as four digits. Stateless.
 */
public final class ModificationTime {

    /** The word's key, with its {@code =}. */
    public static final String PREFIX = "mtime=";

    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** The first millisecond allowed: 0001-01-01T00:00:00Z. */
    public static final long MIN = LocalDate.of(1, 1, 1).toEpochDay() * MILLIS_PER_DAY;
    /** The first millisecond not allowed: 10000-01-01T00:00:00Z. */
    public static final long END = LocalDate.of(10_000, 1, 1).toEpochDay() * MILLIS_PER_DAY;

    private ModificationTime() {
    }

    /** Whether {@code word} is an {@code mtime=} word (well-formed or not). */
    public static boolean isWord(String word) {
        return word.startsWith(PREFIX);
    }

    /** The word for {@code millis}, clamped to the allowed years. */
    public static String word(long millis) {
        return PREFIX + Math.min(Math.max(millis, MIN), END - 1);
    }

    /**
     * The time in an {@code mtime=} word.
     *
     * @return empty when the word is not {@code mtime=} and a whole number of milliseconds within
     *         the allowed years
     */
    public static OptionalLong parse(String word) {
        if (!isWord(word)) {
            return OptionalLong.empty();
        }
        String digits = word.substring(PREFIX.length());
        // Long.parseLong takes a '+' and non-ASCII digits: the wire form is ASCII only.
        if (digits.isEmpty() || digits.length() > 20 || !digits.matches("-?[0-9]+")) {
            return OptionalLong.empty();
        }
        long millis;
        try {
            millis = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        return millis >= MIN && millis < END ? OptionalLong.of(millis) : OptionalLong.empty();
    }
}
