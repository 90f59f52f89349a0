package dev.netdisk.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Parsers and checks for option values, shared by the command line and the configuration file so
 * both accept exactly the same things. Each throws {@link IllegalArgumentException} with a reason
 * that reads well after "bad value for ...: ".
 */
public final class Values {

    private Values() {
    }

    /** A TCP port, 0-65535 (0 picks a free one). */
    public static int port(String text) {
        return checkPort(integer(text));
    }

    public static int checkPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("a port is 0-65535, not " + port);
        }
        return port;
    }

    /**
     * A metadata database URL ({@code --database}): {@code jdbc:postgresql://HOST[:PORT]/DATABASE[?...]}.
     * The reason of a refusal never repeats the value, which may hold a password.
     */
    public static String databaseUrl(String text) {
        String t = text.strip();
        if (!t.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("a database URL is jdbc:postgresql://HOST[:PORT]/DATABASE"
                    + " (leave the option out for SQLite in the data directory)");
        }
        return t;
    }

    /** An integer of at least {@code min}. */
    public static int atLeast(String text, int min) {
        return checkAtLeast(integer(text), min);
    }

    /** An integer from {@code min} to {@code max}. */
    public static int between(String text, int min, int max) {
        int value = integer(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be " + min + "-" + max + ", not " + value);
        }
        return value;
    }

    public static int checkAtLeast(int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("must be at least " + min + ", not " + value);
        }
        return value;
    }

    /** {@code true} or {@code false}, any case; nothing else (a typo must not mean false). */
    public static boolean bool(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    /** A path; empty text is refused. */
    public static Path path(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty path");
        }
        try {
            return Path.of(text.strip());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A log level: error, warning (warn), info, debug, trace, off; any case. */
    public static LogLevel logLevel(String text) {
        return LogLevel.parse(text);
    }

    /**
     * A byte count: digits with an optional binary suffix K, M, G or T (KiB, MiB, ...), e.g.
     * {@code 10G} = 10 GiB.
     */
    public static long bytes(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a byte count like 1073741824, 500M or 10G, not '" + text + "'");
        }
        if (n < 0) {
            throw new IllegalArgumentException("a byte count cannot be negative");
        }
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large: " + text);
        }
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    /** {@code open} or {@code closed} (any case): whether registration is open. */
    public static boolean openClosed(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "open" -> true;
            case "closed" -> false;
            default -> throw new IllegalArgumentException("expected open or closed");
        };
    }
}
