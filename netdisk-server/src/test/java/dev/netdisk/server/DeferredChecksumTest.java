package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code UPLOAD path size -}: the MD5 comes as a trailer line after the bytes (docs/PROTOCOL.md
 * section 6), over raw sockets.
 */
class DeferredChecksumTest extends ServerTestSupport {

    private static final long MIB = 1 << 20;

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    private static byte[] trailer(String md5) {
        return ("MD5 " + md5 + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Reply deferredTicket(String path, Payload content) throws IOException {
        Reply ticket = alice.command("UPLOAD " + path + " " + content.size() + " -");
        assertThat(ticket.code()).as(ticket.toString()).isEqualTo(350);
        return ticket;
    }

    /** Waits until the kept bytes of an interrupted upload are offered again, and returns that ticket. */
    private Reply resumeTicket(String path, Payload content) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> alice.command("UPLOAD " + path + " " + content.size() + " -"),
                reply -> reply.code() == 350 && !"0".equals(reply.params().get("offset")));
    }

    @Test
    void theMd5MayFollowTheBytes() throws IOException {
        Payload content = Payload.random(11, 3 * MIB + 17);
        Reply ticket = deferredTicket("later.bin", content);
        assertThat(ticket.text()).matches("ticket=[0-9a-f]{32} offset=0 size=" + content.size()
                + " send the bytes, then the line MD5 <md5>, on a data connection");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket")))
                    .hasToString("150 send " + content.size() + " bytes from offset 0, then the line MD5 <md5>");
            data.sendBytes(content, 0, content.size());
            assertThat(alice.command("STAT later.bin").code()).as("nothing visible before the trailer").isEqualTo(550);
            data.sendRaw(trailer(content.md5().toUpperCase()));
            assertThat(data.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5()
                    + " stored /later.bin");
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(download(alice, "later.bin", 0)).isEqualTo(content.md5());
        assertThat(keptUploads()).isEmpty();
    }

    @Test
    void theMd5ArgumentMayBeLeftOutAndTheTrailerMayComeWithTheDataLine() throws IOException {
        byte[] body = "hello, trailer".getBytes(StandardCharsets.US_ASCII);
        Payload content = Payload.of(body);
        Reply ticket = alice.command("UPLOAD short.txt " + content.size());
        assertThat(ticket.code()).isEqualTo(350);
        try (ProtocolClient data = connect()) {
            // One write: the DATA line, the bytes and a CRLF-terminated trailer.
            byte[] line = ("DATA " + ticket.param("ticket") + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("MD5 " + content.md5() + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[line.length + (int) content.size() + tail.length];
            System.arraycopy(line, 0, all, 0, line.length);
            System.arraycopy(body, 0, all, line.length, body.length);
            System.arraycopy(tail, 0, all, line.length + (int) content.size(), tail.length);
            data.sendRaw(all);
            assertThat(data.reply().code()).isEqualTo(150);
            assertThat(data.reply().code()).isEqualTo(226);
        }
        assertThat(download(alice, "short.txt", 0)).isEqualTo(content.md5());
    }

    @Test
    void anEmptyFileNeedsOnlyTheTrailer() throws IOException {
        Payload empty = Payload.of(new byte[0]);
        Reply ticket = deferredTicket("empty", empty);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendRaw(trailer(empty.md5()));
            assertThat(data.reply()).hasToString("226 size=0 md5=d41d8cd98f00b204e9800998ecf8427e stored /empty");
        }
    }

    @Test
    void aWrongTrailerIs554AndNothingIsVisibleOrKept() throws IOException {
        Payload content = Payload.random(12, 2 * MIB + 5);
        String claimed = Payload.random(13, 10).md5();
        Reply ticket = deferredTicket("lie.bin", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            data.sendRaw(trailer(claimed));
            assertThat(data.reply()).hasToString("554 checksum mismatch: expected " + claimed + ", received "
                    + content.md5() + "; nothing was stored: /lie.bin");
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(alice.command("STAT lie.bin").code()).isEqualTo(550);
        assertThat(ls(alice, "")).isEmpty();
        assertThat(keptUploads()).isEmpty();
        assertThat(deferredTicket("lie.bin", content).longParam("offset")).as("nothing offered for resume").isZero();
    }

    @Test
    void aDeferredUploadResumesByPathAndSize() throws IOException {
        Payload content = Payload.random(14, DataKey.PART_BYTES + 4 * MIB + 100);
        long cut = DataKey.PART_BYTES + MIB + 12_345;
        Reply first = deferredTicket("resume.bin", content);
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(content, 0, cut);
            data.shutdownOutput();
            // a cut before the last byte: no final line, the bytes are kept
            assertThat(data.isClosedByServer()).isTrue();
        }
        Reply resumed = resumeTicket("resume.bin", content);
        // Whole encrypted parts are kept (crypt/DataKey): the part cut short is sent again.
        assertThat(resumed.longParam("offset")).isEqualTo(DataKey.PART_BYTES);
        long kept = DataKey.PART_BYTES;
        // an upload with the MD5 up front is another upload: it starts over
        assertThat(alice.command("UPLOAD resume.bin " + content.size() + " " + content.md5()).longParam("offset"))
                .isZero();
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + resumed.param("ticket"))).hasToString(
                    "150 send " + (content.size() - kept) + " bytes from offset " + kept + ", then the line MD5 <md5>");
            data.sendBytes(content, kept, content.size());
            data.sendRaw(trailer(content.md5()));
            assertThat(data.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5()
                    + " stored /resume.bin");
        }
        assertThat(download(alice, "resume.bin", 0)).isEqualTo(content.md5());
    }

    @Test
    void aResumeFromAChangedFileIs554() throws IOException {
        // The kept bytes came from one version of the file, the rest and the trailer from another.
        Payload before = Payload.random(15, DataKey.PART_BYTES + 3 * MIB);
        Payload after = Payload.random(16, DataKey.PART_BYTES + 3 * MIB);
        Reply first = deferredTicket("changed.bin", before);
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(before, 0, DataKey.PART_BYTES + 2 * MIB);
            data.shutdownOutput();
            data.isClosedByServer();
        }
        Reply resumed = resumeTicket("changed.bin", after);
        try (ProtocolClient data = openData(resumed.param("ticket"))) {
            data.sendBytes(after, resumed.longParam("offset"), after.size());
            data.sendRaw(trailer(after.md5()));
            assertThat(data.reply().code()).isEqualTo(554);
        }
        assertThat(alice.command("STAT changed.bin").code()).isEqualTo(550);
        assertThat(deferredTicket("changed.bin", after).longParam("offset")).isZero();
    }

    @Test
    void aGarbageTrailerIs501AndTheBytesAreKept() throws IOException {
        Payload content = Payload.random(17, 100_000);
        Reply ticket = deferredTicket("garbage.bin", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            data.sendRaw("SHA256 0123\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(data.reply()).hasToString("501 bad checksum trailer: expected MD5 <32 hex digits>,"
                    + " got \"SHA256 0123\"; the bytes are kept for resume");
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(alice.command("STAT garbage.bin").code()).isEqualTo(550);
        // The retry has no bytes left to send, only the trailer.
        Reply again = resumeTicket("garbage.bin", content);
        assertThat(again.longParam("offset")).isEqualTo(content.size());
        try (ProtocolClient data = openData(again.param("ticket"))) {
            data.sendRaw(trailer(content.md5()));
            assertThat(data.reply().code()).isEqualTo(226);
        }
        assertThat(download(alice, "garbage.bin", 0)).isEqualTo(content.md5());
    }

    @Test
    void aTrailerLineThatNeverEndsIs501() throws IOException {
        Payload content = Payload.random(18, 1000);
        Reply ticket = deferredTicket("long.bin", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            data.sendRaw(new byte[4096]);
            Reply reply = data.reply();
            assertThat(reply.code()).isEqualTo(501);
            assertThat(reply.text()).startsWith("bad checksum trailer: no line end within 128 bytes");
        }
    }

    @Test
    void aMissingTrailerIs501AndTheBytesAreKept() throws IOException {
        Payload content = Payload.random(19, 2 * MIB);
        Reply ticket = deferredTicket("missing.bin", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            data.shutdownOutput();
            assertThat(data.reply()).hasToString("501 missing checksum trailer: the connection ended after the bytes"
                    + " without the line MD5 <md5>; the bytes are kept for resume");
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(resumeTicket("missing.bin", content).longParam("offset")).isEqualTo(content.size());
    }
}
