package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LoggingTest {

    @Test
    void oneLinePerRecordWithSystemLoggerLevelNames() {
        LogRecord record = new LogRecord(Level.FINE, "connection /127.0.0.1:5 opened");
        record.setLoggerName("dev.netdisk.server.net.EventLoop");
        record.setMillis(0);

        String line = new Logging.OneLineFormatter().format(record);

        assertThat(line).isEqualTo("1970-01-01T00:00:00.000Z DEBUG   EventLoop: connection /127.0.0.1:5 opened\n");
    }

    @Test
    void theCauseFollowsTheLine() {
        LogRecord record = new LogRecord(Level.SEVERE, "LS failed");
        record.setLoggerName("dev.netdisk.server.errors.ErrorReplies");
        record.setThrown(new IOException("disk on fire"));

        String text = new Logging.OneLineFormatter().format(record);

        assertThat(text.lines().findFirst().orElseThrow()).endsWith("ERROR   ErrorReplies: LS failed");
        assertThat(text).contains("java.io.IOException: disk on fire").contains("\tat ");
    }
}
