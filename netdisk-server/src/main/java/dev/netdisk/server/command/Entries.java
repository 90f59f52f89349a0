package dev.netdisk.server.command;

import dev.netdisk.server.protocol.WireBuilder;
import dev.netdisk.server.store.Node;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The entry line of {@code LS} and {@code STAT}: {@code TYPE SIZE MTIME MD5 NAME} ({@code docs/PROTOCOL.md} section 5).
 *
 * <p>The timestamp is written digit by digit: {@link DateTimeFormatter} (through {@code BigDecimal}
 * for the fraction) was half of a 10,000-entry listing's time on the server.
 */
final class Entries {

    /** UTC ISO-8601 with milliseconds, always three digits. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** 0001-01-01 and 10000-01-01 in epoch days: the years {@link #TIMESTAMP} writes as four digits. */
    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long END_DAY = LocalDate.of(10_000, 1, 1).toEpochDay();

    private Entries() {
    }

    static String format(Node node, String name) {
        StringBuilder out = new StringBuilder(80 + name.length());
        out.append(node.directory() ? "d " : "f ").append(node.size()).append(' ');
        appendTimestamp(out, node.mtimeMillis());
        return out.append(' ').append(node.directory() ? "-" : node.md5()).append(' ').append(name).toString();
    }

    /** Writes one entry line's fields (without the reply prefix and LF) into {@code out}. */
    static void write(WireBuilder out, boolean directory, long size, long mtimeMillis, byte[] md5, byte[] name) {
        out.ascii(directory ? 'd' : 'f').ascii(' ').number(size).ascii(' ');
        long day = Math.floorDiv(mtimeMillis, MILLIS_PER_DAY);
        if (day < FIRST_DAY || day >= END_DAY) {
            out.ascii(TIMESTAMP.format(Instant.ofEpochMilli(mtimeMillis)));
        } else {
            LocalDate date = LocalDate.ofEpochDay(day);
            int ms = (int) Math.floorMod(mtimeMillis, MILLIS_PER_DAY);
            out.digits(date.getYear(), 4).ascii('-').digits(date.getMonthValue(), 2).ascii('-')
                    .digits(date.getDayOfMonth(), 2).ascii('T').digits(ms / 3_600_000, 2).ascii(':')
                    .digits(ms / 60_000 % 60, 2).ascii(':').digits(ms / 1_000 % 60, 2).ascii('.')
                    .digits(ms % 1_000, 3).ascii('Z');
        }
        out.ascii(' ');
        if (directory || md5 == null) {
            out.ascii('-');
        } else {
            out.bytes(md5);
        }
        out.ascii(' ').bytes(name);
    }

    /** {@link #TIMESTAMP} of {@code millis}, appended to {@code out}. */
    static void appendTimestamp(StringBuilder out, long millis) {
        long day = Math.floorDiv(millis, MILLIS_PER_DAY);
        if (day < FIRST_DAY || day >= END_DAY) {
            out.append(TIMESTAMP.format(Instant.ofEpochMilli(millis)));
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int ms = (int) Math.floorMod(millis, MILLIS_PER_DAY);
        pad(out, date.getYear(), 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, ms / 3_600_000, 2).append(':');
        pad(out, ms / 60_000 % 60, 2).append(':');
        pad(out, ms / 1_000 % 60, 2).append('.');
        pad(out, ms % 1_000, 3).append('Z');
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
