package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passwords and session tokens never reach a log, a reply or the data directory in the clear. */
class SecretsTest extends ServerTestSupport {

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(String.valueOf(record.getMessage()) + " " + record.getThrown());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void secretsStayOutOfLogsRepliesAndTheDataDirectory() throws IOException {
        String password = "s3cret-horse-battery";
        String wrong = "wr0ng-guess-staple";
        ProtocolClient c = connect();
        assertThat(c.command("REGISTER alice " + password).code()).isEqualTo(200);
        Reply failed = c.command("LOGIN alice " + wrong);
        assertThat(failed.toString()).doesNotContain(wrong);
        Reply login = c.command("LOGIN alice " + password);
        String token = login.param("token");
        assertThat(login.toString()).doesNotContain(password);
        c.command("QUIT");
        server.close();
        server = null;

        for (String record : logged) {
            assertThat(record).doesNotContain(password).doesNotContain(wrong).doesNotContain(token);
        }
        try (Stream<Path> files = Files.walk(dataDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain(password).doesNotContain(token);
            }
        }
    }
}
