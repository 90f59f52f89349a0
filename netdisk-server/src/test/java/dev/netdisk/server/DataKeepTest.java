package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.security.MessageDigest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code DATA ticket --keep}: several transfers one after another on one data connection (PROTOCOL.md section 6). */
class DataKeepTest extends ServerTestSupport {

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws Exception {
        alice = loggedIn("alice");
    }

    @Test
    void uploadsAndADownloadFollowEachOtherOnOneConnection() throws Exception {
        Payload a = Payload.random(1, 4096);
        Payload b = Payload.random(2, 10_000);
        ProtocolClient data = connect();

        Reply first = data.command("DATA " + uploadTicket(alice, "a.bin", a).param("ticket") + " --keep");
        assertThat(first).hasToString("150 send 4096 bytes from offset 0");
        data.sendBytes(a, 0, a.size());
        assertThat(data.reply().toString()).startsWith("226 size=4096 md5=" + a.md5());

        Reply second = data.command("DATA " + uploadTicket(alice, "b.bin", b).param("ticket") + " --keep");
        assertThat(second.code()).isEqualTo(150);
        data.sendBytes(b, 0, b.size());
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(alice.command("STAT b.bin").text()).startsWith("f 10000 ");

        // The last one without --keep: the connection closes after it, as usual.
        Reply ticket = alice.command("DOWNLOAD a.bin");
        assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
        MessageDigest md5 = Payload.newMd5();
        data.readBytes(a.size(), md5);
        assertThat(Md5.hex(md5)).isEqualTo(a.md5());
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.isClosedByServer()).isTrue();
    }

    @Test
    void aKeptConnectionTakesNoOtherCommand() throws Exception {
        Payload a = Payload.of("kept");
        ProtocolClient data = connect();
        data.command("DATA " + uploadTicket(alice, "a.txt", a).param("ticket") + " --keep");
        data.sendBytes(a, 0, a.size());
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.command("LS")).hasToString("503 a data connection takes only DATA ticket or QUIT");
        assertThat(data.isClosedByServer()).isTrue();
    }

    @Test
    void anyFinalReplyButA226ClosesAKeptConnection() throws Exception {
        Payload right = Payload.of("right bytes");
        ProtocolClient data = connect();
        data.command("DATA " + uploadTicket(alice, "a.txt", right).param("ticket") + " --keep");
        data.sendBytes(Payload.of("wrong bytes"), 0, right.size());
        assertThat(data.reply().code()).isEqualTo(554);
        assertThat(data.isClosedByServer()).isTrue();

        ProtocolClient other = connect();
        assertThat(other.command("DATA 0123456789abcdef0123456789abcdef --keep").code()).isEqualTo(425);
        assertThat(other.isClosedByServer()).isTrue();
    }
}
