package dev.netdisk.cli.session;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the CLI prints a time for people: in the local zone with its offset
 * ({@code 2026-11-21 14:50:00 +01:00}), or in UTC with {@code --utc} ({@code ... +00:00}), the same
 * for {@code ls}, {@code stat}, {@code trash}, {@code history}, {@code listen} and the shell. JSON
 * output keeps ISO-8601 UTC ({@code 2026-11-21T13:50:00.123Z}). Immutable.
 */
public final class Times {

    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter time;

    private Times(ZoneId zone) {
        this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx").withZone(zone);
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss xxx").withZone(zone);
    }

    /** In UTC, or in the local zone (the JVM's default, from {@code TZ} or the system). */
    public static Times of(boolean utc) {
        return new Times(utc ? ZoneOffset.UTC : ZoneId.systemDefault());
    }

    /** In the given zone (tests). */
    public static Times in(ZoneId zone) {
        return new Times(zone);
    }

    /** {@code 2026-11-21 14:50:00 +01:00}. */
    public String dateTime(Instant t) {
        return dateTime.format(t);
    }

    /** {@code 14:50:00 +01:00}: a chat event of today. */
    public String time(Instant t) {
        return time.format(t);
    }
}
