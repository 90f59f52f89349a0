package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure under TLS ({@link BackpressureTest} again, and more): decrypted commands waiting in
 * the TLS layer must not get around the connection's "stop reading while replies are unread" rule,
 * nor be forgotten once it reads again.
 */
class TlsBackpressureTest extends BackpressureTest {

    @Override
    boolean tls() {
        return true;
    }

    @Test
    void pipelinedCommandsInOneTlsRecordAreAllAnswered() throws Exception {
        ProtocolClient c = loggedIn("carol");
        // Far more than the connection's 4 KiB input buffer, in a few 16 KiB records: the rest waits
        // decrypted in the TLS layer with nothing new on the socket.
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            lines.append("NOOP\n");
        }
        c.sendRaw(lines.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 2_000; i++) {
            assertThat(c.reply().code()).isEqualTo(200);
        }
    }
}
