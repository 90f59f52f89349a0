package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link NetdiskServer#close} is a graceful stop: 421 to the clients, interrupted uploads kept for resume. */
class GracefulStopTest extends ServerTestSupport {

    private static final long MIB = 1 << 20;

    private long keptBytes() throws IOException {
        try (Stream<Path> files = Files.list(dataDir().resolve("partial"))) {
            List<Path> kept = files.toList();
            return kept.isEmpty() ? 0 : Files.size(kept.get(0));
        }
    }

    @Test
    void anUploadInterruptedByAStopResumesOnTheNextServer() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(31, DataKey.PART_BYTES + 8 * MIB + 31);
        Reply ticket = uploadTicket(alice, "big.bin", content);
        ProtocolClient data = openData(ticket.param("ticket"));
        data.sendBytes(content, 0, DataKey.PART_BYTES + 3 * MIB);
        // The server has put a whole encrypted part on disk: that much is kept for resume.
        await().atMost(Duration.ofSeconds(20)).until(() -> keptBytes() > DataKey.PART_CIPHERTEXT_BYTES);

        server.close();

        assertThat(alice.reply()).hasToString("421 server shutting down");
        assertThat(alice.isClosedByServer()).isTrue();
        // The upload's client reads only its final line: it is told why too.
        assertThat(data.reply()).hasToString("421 server shutting down");
        assertThat(data.isClosedByServer()).isTrue();
        data.close();

        server = NetdiskServer.start(config());
        ProtocolClient again = loggedIn("alice");
        assertThat(again.command("STAT big.bin").code()).as("nothing visible").isEqualTo(550);
        Reply resumed = again.command("UPLOAD big.bin " + content.size() + " " + content.md5());
        assertThat(resumed.code()).isEqualTo(350);
        long offset = resumed.longParam("offset");
        assertThat(offset).isEqualTo(DataKey.PART_BYTES).isEqualTo(DataKey.keptPlaintext(keptBytes()));

        try (ProtocolClient rest = openData(resumed.param("ticket"))) {
            rest.sendBytes(content, offset, content.size());
            assertThat(rest.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5() + " stored /big.bin");
        }
        assertThat(download(again, "big.bin", 0)).isEqualTo(content.md5());
    }

    @Test
    void keptBytesPastTheirTimeToLiveAreSweptAtStart() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(32, 3 * MIB);
        Reply ticket = uploadTicket(alice, "f", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, MIB + 1);
            data.shutdownOutput();
            assertThat(data.isClosedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> keptBytes() > 0);
        server.close();

        ServerConfig c = config();
        server = NetdiskServer.start(new ServerConfig(c.bind(), c.port(), c.dataDir(), c.tokenTtl(), c.ticketTtl(),
                Duration.ZERO, c.passwordIterations(), c.workerThreads(), c.limits(), c.storage()));
        await().atMost(Duration.ofSeconds(20)).until(() -> keptBytes() == 0);
        ProtocolClient again = loggedIn("alice");
        assertThat(again.command("UPLOAD f " + content.size() + " " + content.md5()).longParam("offset")).isZero();
    }

    @Test
    void aStoppedServerRefusesNewConnectionsAndCloseIsIdempotent() throws IOException {
        int port = server.port();
        ProtocolClient alice = loggedIn("alice");
        server.close();
        server.close();
        assertThat(alice.reply().code()).isEqualTo(421);
        assertThat(catchConnect(port)).isInstanceOf(IOException.class);
    }

    @Test
    void accountsAndFilesSurviveARestart() throws Exception {
        register("alice");
        ProtocolClient again = connect();
        String saved = again.command("LOGIN alice " + PASSWORD).param("token");
        Payload content = Payload.of("kept across restarts");
        upload(again, "f", content);
        server.close();

        server = NetdiskServer.start(config());
        ProtocolClient resumed = connect();
        assertThat(resumed.command("LOGIN TOKEN " + saved).code()).isEqualTo(230);
        assertThat(download(resumed, "f", 0)).isEqualTo(content.md5());
    }

    private static Throwable catchConnect(int port) {
        try {
            ProtocolClient.connect(port).close();
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
