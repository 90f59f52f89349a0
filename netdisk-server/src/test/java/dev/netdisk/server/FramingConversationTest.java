package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Line framing, refusals of bad input, pipelining and disconnects (docs/PROTOCOL.md section 1). */
class FramingConversationTest extends ServerTestSupport {

    @Test
    void aLineOfExactly8192BytesIsAcceptedAndOneByteMoreIs500() throws IOException {
        ProtocolClient c = connect();
        assertThat(c.command("NOOP" + " ".repeat(8192 - 4))).hasToString("200 OK");
        assertThat(c.command("NOOP" + " ".repeat(8192 - 3))).hasToString("500 line too long (max 8192 bytes)");
        assertThat(c.command("NOOP")).hasToString("200 OK");
    }

    @Test
    void aLineOverEightKibIs500AndTheConnectionKeepsWorking() throws IOException {
        ProtocolClient c = loggedIn("alice");
        assertThat(c.command("MAKEDIR " + "x".repeat(100_000))).hasToString("500 line too long (max 8192 bytes)");
        assertThat(c.command("PWD").code()).isEqualTo(257);
        assertThat(ls(c, "")).as("the long line did nothing").isEmpty();
    }

    @Test
    void crLfEndsALineToo() throws IOException {
        ProtocolClient c = connect();
        c.sendRaw("NOOP\r\nHELP CD\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply().code()).isEqualTo(200);
        assertThat(c.reply().code()).isEqualTo(214);
    }

    @Test
    void invalidUtf8NulAndControlCharactersAre500() throws IOException {
        ProtocolClient c = loggedIn("alice");
        c.sendRaw(new byte[] {'M', 'A', 'K', 'E', 'D', 'I', 'R', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        assertThat(c.reply()).hasToString("500 line is not valid UTF-8");
        c.sendRaw(new byte[] {'M', 'A', 'K', 'E', 'D', 'I', 'R', ' ', 'a', 0, 'b', '\n'});
        assertThat(c.reply()).hasToString("500 control character 0x0 in line");
        c.sendRaw("MAKEDIR a\u001bb\n".getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply().code()).isEqualTo(500);
        assertThat(c.command("LS")).as("none of them created anything").hasToString("212 0 entries");
    }

    @Test
    void c1ControlCharactersAre500Too() throws IOException {
        // U+0085 (NEL) and U+009B (CSI) are control characters: a terminal may act on them.
        ProtocolClient c = loggedIn("alice");
        assertThat(c.command("MAKEDIR a\u0085b").text()).isEqualTo("control character 0x85 in line");
        assertThat(c.command("CHAT alice hi \u009b2J").text()).isEqualTo("control character 0x9b in line");
        assertThat(c.drainEvents()).isEmpty();
        assertThat(c.command("LS")).hasToString("212 0 entries");
    }

    @Test
    void binaryGarbageGets500sAndTheServerKeepsServing() throws IOException {
        ProtocolClient watcher = loggedIn("bob");
        ProtocolClient c = connect();
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        c.sendRaw(garbage);
        c.send("");
        c.send("NOOP");
        List<Reply> refused = new ArrayList<>();
        Reply reply;
        while ((reply = c.reply()).code() != 200) {
            refused.add(reply);
        }
        assertThat(refused).isNotEmpty().allSatisfy(r -> assertThat(r.code()).isEqualTo(500));
        assertThat(watcher.command("NOOP").code()).isEqualTo(200);
        assertThat(connect().command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws IOException {
        ProtocolClient c = loggedIn("alice");
        c.send("NOOP\nMAKEDIR a\nCD a\nPWD\nHELP CD\nMAKEDIR b\nLS\nCD ..\nSTAT a\nFROB\nNOOP");
        assertThat(c.reply()).hasToString("200 OK");
        assertThat(c.reply()).hasToString("257 \"/a\" created");
        assertThat(c.reply()).hasToString("250 \"/a\" is the current directory");
        assertThat(c.reply()).hasToString("257 \"/a\" is the current directory");
        assertThat(c.reply().code()).isEqualTo(214);
        assertThat(c.reply()).hasToString("257 \"/a/b\" created");
        assertThat(c.reply().text()).isEqualTo("1 entry");
        assertThat(c.reply()).hasToString("250 \"/\" is the current directory");
        assertThat(c.reply().text()).endsWith(" - a");
        assertThat(c.reply().code()).isEqualTo(500);
        assertThat(c.reply()).hasToString("200 OK");
    }

    @Test
    void aClientThatEndsItsOutputStillGetsEveryReply() throws IOException {
        // printf 'REGISTER ...\nLOGIN ...\n...' | nc -N host 2121: the client half-closes after its commands
        ProtocolClient c = connect();
        c.send("REGISTER alice " + PASSWORD + "\nLOGIN alice " + PASSWORD + "\nMAKEDIR docs\nLS\nNOOP");
        c.shutdownOutput();
        assertThat(c.reply().code()).isEqualTo(200);
        assertThat(c.reply().code()).isEqualTo(230);
        assertThat(c.reply().code()).isEqualTo(257);
        assertThat(c.reply().text()).isEqualTo("1 entry");
        assertThat(c.reply()).hasToString("200 OK");
        assertThat(c.isClosedByServer()).isTrue();
    }

    @Test
    void thousandsOfPipelinedCommandsBeyondTheInputBufferAreAllAnsweredInOrder() throws IOException {
        ProtocolClient c = loggedIn("alice");
        int pairs = 3_000;
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            // NOOP runs on the selector thread, STAT on a worker: the order must hold across both
            batch.append("NOOP\nSTAT /\n");
        }
        c.sendRaw(batch.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < pairs; i++) {
            assertThat(c.reply().code()).as("reply %d", 2 * i).isEqualTo(200);
            assertThat(c.reply().code()).as("reply %d", 2 * i + 1).isEqualTo(213);
        }
        assertThat(c.command("PWD").code()).isEqualTo(257);
    }

    @Test
    void anAbruptDisconnectMidCommandDoesNotDisturbOtherClients() throws IOException {
        ProtocolClient bob = listening("bob");
        bob.command("MAKEDIR keep");

        ProtocolClient halfLine = listening("alice");
        halfLine.sendRaw("MAKEDIR half".getBytes(StandardCharsets.US_ASCII));
        halfLine.abort();

        ProtocolClient midCommand = listening("alice");
        midCommand.send("LS");
        midCommand.abort();

        ProtocolClient pipelined = listening("alice");
        pipelined.send("NOOP\nLS\nSTAT /\nHELP");
        pipelined.abort();

        ProtocolClient midUpload = listening("alice");
        Payload content = Payload.random(11, 3 << 20);
        Reply ticket = uploadTicket(midUpload, "f", content);
        ProtocolClient data = openData(ticket.param("ticket"));
        data.sendBytes(content, 0, 1 << 20);
        data.abort();
        midUpload.abort();

        ProtocolClient midDownload = listening("bob");
        upload(midDownload, "big", Payload.random(12, 8 << 20));
        ProtocolClient download = openData(midDownload.command("DOWNLOAD big").param("ticket"));
        download.readBytes(1 << 20, Payload.newMd5());
        download.close();
        midDownload.abort();

        assertThat(bob.command("NOOP").code()).isEqualTo(200);
        assertThat(ls(bob, "")).hasSize(2);
        ProtocolClient alice = listening("alice");
        assertThat(alice.command("STAT /half").code()).isEqualTo(550);
        assertThat(alice.command("STAT /f").code()).isEqualTo(550);
        // Only this last connection of alice's is online: the aborted ones left presence.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> alice.command("CHAT alice still there?").param("delivered"), "1"::equals);
    }

    @Test
    void aConnectionThatLeavesWhileItsLoginRunsIsNotLeftOnline() throws IOException {
        register("bob");
        for (int i = 0; i < 20; i++) {
            ProtocolClient bob = connect();
            bob.send("LOGIN bob " + PASSWORD + "\nLISTEN");
            bob.close();
        }
        // A message to oneself reaches every connection still online: only the probe's.
        ProtocolClient probe = listening("bob");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> probe.command("CHAT bob hello?").param("delivered"), "1"::equals);
    }
}
