package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client that sends commands and never reads the replies costs only itself (rerun over TLS by {@link TlsBackpressureTest}). */
class BackpressureTest extends ServerTestSupport {

    @Test
    void aClientThatSendsButNeverReadsIsPushedBackAndGetsEveryReplyWhenItReads() throws Exception {
        ProtocolClient greedy = loggedIn("alice");
        int commands = 3_000; // about 4 MiB of HELP replies, far beyond every buffer on the way
        Thread writer = new Thread(() -> {
            try {
                greedy.sendRaw("HELP\n".repeat(commands).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        // The server stopped reading alice's commands; everyone else is served as usual.
        ProtocolClient bob = loggedIn("bob");
        for (int i = 0; i < 20; i++) {
            assertThat(bob.command("NOOP").code()).isEqualTo(200);
        }
        for (int i = 0; i < commands; i++) {
            assertThat(greedy.reply().code()).isEqualTo(214);
        }
        writer.join();
    }
}
