package dev.netdisk.server.ops;

import dev.netdisk.server.config.LogLevel;
import dev.netdisk.server.store.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sets up logging for the server process. The code logs through {@link System.Logger}, which the
 * JDK backs with java.util.logging (JUL); this class replaces JUL's default console handler
 * (stderr, two lines per record) with one line per record on stdout, or appended to a log file.
 *
 * <p>Line format: {@code 2026-11-21T14:05:00.123Z INFO    EventLoop: message}, then the cause's
 * stack trace when there is one. The log file is opened in append mode and flushed after every
 * record, so {@code tail -f} and logrotate's {@code copytruncate} work; no {@code .lck} files.
 */
public final class Logging {

    private Logging() {
    }

    /**
     * Routes every log record at {@code level} or above to {@code logFile}, or to stdout when it is
     * {@code null}.
     *
     * @throws IOException when the log file cannot be opened for appending
     */
    public static void configure(LogLevel level, Path logFile) throws IOException {
        OutputStream out;
        if (logFile == null) {
            out = System.out;
        } else {
            // Private: a log names users and addresses.
            PrivateFiles.createParents(logFile);
            out = PrivateFiles.append(logFile);
        }
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level.jul());
        Handler handler = new StreamHandler(out, new OneLineFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            @Override
            public synchronized void close() {
                // stdout is not ours to close; a log file closes with the process
                flush();
            }
        };
        handler.setLevel(level.jul());
        try {
            handler.setEncoding("UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        root.addHandler(handler);
    }

    /** One line per record: ISO time in UTC, level, the logger's simple name, the message; then the cause. */
    static final class OneLineFormatter extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC);

        @Override
        public String format(LogRecord record) {
            String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
            String simple = logger.substring(logger.lastIndexOf('.') + 1);
            StringBuilder line = new StringBuilder(160)
                    .append(TIME.format(Instant.ofEpochMilli(record.getMillis())))
                    .append(' ').append(String.format("%-7s", name(record.getLevel())))
                    .append(' ').append(simple).append(": ").append(formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        /** System.Logger's names, not JUL's (SEVERE, FINE), so the log matches {@code --log-level}. */
        private static String name(java.util.logging.Level level) {
            int v = level.intValue();
            if (v >= java.util.logging.Level.SEVERE.intValue()) {
                return "ERROR";
            } else if (v >= java.util.logging.Level.WARNING.intValue()) {
                return "WARNING";
            } else if (v >= java.util.logging.Level.INFO.intValue()) {
                return "INFO";
            } else if (v >= java.util.logging.Level.FINE.intValue()) {
                return "DEBUG";
            }
            return "TRACE";
        }
    }
}
