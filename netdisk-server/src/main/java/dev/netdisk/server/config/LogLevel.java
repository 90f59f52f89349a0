package dev.netdisk.server.config;

import java.util.Locale;
import java.util.logging.Level;

/** The levels {@code --log-level} accepts, named as in {@link System.Logger.Level}, and their JUL levels. */
public enum LogLevel {
    OFF(Level.OFF),
    ERROR(Level.SEVERE),
    WARNING(Level.WARNING),
    INFO(Level.INFO),
    DEBUG(Level.FINE),
    TRACE(Level.FINER);

    private final Level jul;

    LogLevel(Level jul) {
        this.jul = jul;
    }

    public Level jul() {
        return jul;
    }

    /** Parses a level name, any case; {@code warn} is accepted for {@code warning}. */
    public static LogLevel parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.equals("WARN")) {
            return WARNING;
        }
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected one of error, warning, info, debug, trace, off");
        }
    }
}
