package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UPLOAD, DOWNLOAD and DATA over raw sockets (docs/PROTOCOL.md section 6). */
class TransferConversationTest extends ServerTestSupport {

    private static final long MIB = 1 << 20;

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    private String lsEntry(String pathArg) throws IOException {
        return ls(alice, pathArg).get(0);
    }

    // ---- round trips ----

    @Test
    void anEmptyFileRoundTrips() throws IOException {
        Payload empty = Payload.of(new byte[0]);
        Reply done = upload(alice, "empty", empty);
        assertThat(done).hasToString("226 size=0 md5=d41d8cd98f00b204e9800998ecf8427e stored /empty");
        assertThat(lsEntry("empty")).startsWith("f 0 ").endsWith(" d41d8cd98f00b204e9800998ecf8427e empty");
        assertThat(download(alice, "empty", 0)).isEqualTo(empty.md5());
    }

    @Test
    void aOneByteFileRoundTrips() throws IOException {
        Payload one = Payload.of(new byte[] {(byte) 0xFF});
        Reply ticket = uploadTicket(alice, "one", one);
        assertThat(ticket.text()).matches("ticket=[0-9a-f]{32} offset=0 size=1 send the bytes on a data connection");
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(one, 0, 1);
            assertThat(data.reply()).hasToString("226 size=1 md5=" + one.md5() + " stored /one");
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(lsEntry("one")).startsWith("f 1 ").endsWith(" " + one.md5() + " one");
        assertThat(download(alice, "one", 0)).isEqualTo(one.md5());
    }

    @Test
    void sixtyFourMibOfRandomBytesRoundTrip() throws IOException {
        Payload big = Payload.random(64, 64 * MIB);
        assertThat(upload(alice, "big.bin", big)).hasToString("226 size=67108864 md5=" + big.md5() + " stored /big.bin");
        assertThat(lsEntry("big.bin")).startsWith("f 67108864 ").endsWith(" " + big.md5() + " big.bin");
        assertThat(download(alice, "big.bin", 0)).isEqualTo(big.md5());
        assertThat(keptUploads()).isEmpty();
    }

    @Test
    void namesWithSpacesQuotesAndNonAsciiRoundTrip() throws IOException {
        alice.command("MAKEDIR \"holiday photos\"");
        Payload content = Payload.of("\u65e5\u672c\u8a9e and \u00e9t\u00e9\n");
        String name = "my \"best\" \u00e9t\u00e9 \u65e5\u672c \uD83D\uDE00.txt";
        String quoted = "\"holiday photos/my \\\"best\\\" \u00e9t\u00e9 \u65e5\u672c \uD83D\uDE00.txt\"";

        assertThat(upload(alice, quoted, content).text()).endsWith(" stored /holiday photos/" + name);
        assertThat(lsEntry("\"holiday photos\"")).endsWith(" " + content.md5() + " " + name);
        assertThat(download(alice, quoted, 0)).isEqualTo(content.md5());
    }

    @Test
    void aDecomposedNameFindsTheStoredNfcName() throws IOException {
        Payload content = Payload.of("caf\u00e9");
        upload(alice, "cafe\u0301.txt", content);
        assertThat(lsEntry("")).endsWith(" caf\u00e9.txt");
        assertThat(download(alice, "caf\u00e9.txt", 0)).isEqualTo(content.md5());
    }

    @Test
    void theUploadMd5MayBeUpperCase() throws IOException {
        Payload content = Payload.of("hello");
        Reply ticket = alice.command("UPLOAD h " + content.size() + " " + content.md5().toUpperCase());
        assertThat(ticket.code()).isEqualTo(350);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void bytesMayFollowTheDataLineInTheSameWrite() throws IOException {
        Payload content = Payload.random(7, 300_000);
        Reply ticket = uploadTicket(alice, "eager", content);
        try (ProtocolClient data = connect()) {
            data.send("DATA " + ticket.param("ticket"));
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply()).hasToString("150 send 300000 bytes from offset 0");
            assertThat(data.reply().code()).isEqualTo(226);
        }
        assertThat(download(alice, "eager", 0)).isEqualTo(content.md5());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 100_000})
    void anUploaderMayEndItsOutputAfterTheLastByte(int size) throws IOException {
        Payload content = Payload.random(10, size);
        Reply ticket = uploadTicket(alice, "halfclosed", content);
        try (ProtocolClient data = connect()) {
            // everything at once, then end of stream: DATA line, bytes, FIN
            data.send("DATA " + ticket.param("ticket"));
            data.sendBytes(content, 0, content.size());
            data.shutdownOutput();
            assertThat(data.reply().code()).isEqualTo(150);
            assertThat(data.reply()).hasToString("226 size=" + size + " md5=" + content.md5() + " stored /halfclosed");
        }
    }

    @Test
    void aDownloaderMayEndItsOutputAfterTheDataLine() throws IOException {
        Payload content = Payload.random(12, 5 * MIB);
        upload(alice, "f", content);
        Reply ticket = alice.command("DOWNLOAD f");
        try (ProtocolClient data = connect()) {
            // printf 'DATA ticket\n' | nc -N host 2121 > f
            data.send("DATA " + ticket.param("ticket"));
            data.shutdownOutput();
            assertThat(data.reply().code()).isEqualTo(150);
            MessageDigest md5 = Payload.newMd5();
            data.readBytes(content.size(), md5);
            assertThat(Md5.hex(md5)).isEqualTo(content.md5());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    // ---- verification ----

    @Test
    void aLyingMd5Is554AndNothingIsVisible() throws IOException {
        Payload content = Payload.random(1, 2 * MIB + 5);
        Payload claimed = Payload.random(2, content.size());
        Reply ticket = alice.command("UPLOAD lie.bin " + content.size() + " " + claimed.md5());
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply()).hasToString("554 checksum mismatch: expected " + claimed.md5() + ", received "
                    + content.md5() + "; nothing was stored: /lie.bin");
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(alice.command("STAT lie.bin").code()).isEqualTo(550);
        assertThat(ls(alice, "")).isEmpty();
        assertThat(keptUploads()).isEmpty();
        // the bad bytes are not offered for resume
        assertThat(alice.command("UPLOAD lie.bin " + content.size() + " " + claimed.md5()).longParam("offset")).isZero();
    }

    @Test
    void aLyingMd5DoesNotReplaceAnExistingFile() throws IOException {
        Payload original = Payload.of("original");
        upload(alice, "f", original);
        Payload content = Payload.of("replacement");
        Reply ticket = alice.command("UPLOAD f " + content.size() + " " + Payload.of("something else").md5() + " --overwrite");
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply().code()).isEqualTo(554);
        }
        assertThat(lsEntry("f")).endsWith(" " + original.md5() + " f");
        assertThat(download(alice, "f", 0)).isEqualTo(original.md5());
    }

    // ---- resume ----

    @Test
    void anUploadCutShortResumesWithOnlyTheRemainder() throws IOException {
        // Kept for resume: the whole encrypted parts that arrived (crypt/DataKey), not a part cut short.
        Payload content = Payload.random(3, DataKey.PART_BYTES + 4 * MIB + 100);
        long cut = DataKey.PART_BYTES + MIB / 2 + 12_345;
        Reply first = uploadTicket(alice, "resume.bin", content);
        assertThat(first.longParam("offset")).isZero();
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(content, 0, cut);
            data.shutdownOutput();
            // the server closes without a final line: the bytes are kept for resume
            assertThat(data.isClosedByServer()).isTrue();
        }
        assertThat(alice.command("STAT resume.bin").code()).as("nothing visible yet").isEqualTo(550);

        // While the server is still winding the first transfer down, UPLOAD answers 450.
        Reply resumed = await().atMost(Duration.ofSeconds(20)).until(
                () -> alice.command("UPLOAD resume.bin " + content.size() + " " + content.md5()),
                reply -> reply.code() == 350 && !"0".equals(reply.params().get("offset")));
        long offset = resumed.longParam("offset");
        assertThat(keptUploads()).singleElement().satisfies(bytes -> assertThat(bytes)
                .isGreaterThanOrEqualTo(DataKey.ciphertextSize(offset)));
        assertThat(offset).as("every whole part that arrived is kept").isEqualTo(DataKey.PART_BYTES);

        try (ProtocolClient data = connect()) {
            Reply started = data.command("DATA " + resumed.param("ticket"));
            assertThat(started).hasToString("150 send " + (content.size() - offset) + " bytes from offset " + offset);
            data.sendBytes(content, offset, content.size());
            assertThat(data.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5() + " stored /resume.bin");
        }
        assertThat(download(alice, "resume.bin", 0)).isEqualTo(content.md5());
        assertThat(keptUploads()).isEmpty();
    }

    @Test
    void aResumedUploadWithWrongKeptBytesIs554() throws IOException {
        // The client sends different bytes the second time: the MD5 of the whole file catches it.
        Payload content = Payload.random(4, DataKey.PART_BYTES + 3 * MIB);
        Payload other = Payload.random(5, DataKey.PART_BYTES + 3 * MIB);
        Reply first = uploadTicket(alice, "x", content);
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(other, 0, DataKey.PART_BYTES + 2 * MIB);
            data.shutdownOutput();
            data.isClosedByServer();
        }
        Reply resumed = await().atMost(Duration.ofSeconds(20)).until(
                () -> alice.command("UPLOAD x " + content.size() + " " + content.md5()),
                reply -> reply.code() == 350 && !"0".equals(reply.params().get("offset")));
        try (ProtocolClient data = openData(resumed.param("ticket"))) {
            data.sendBytes(content, resumed.longParam("offset"), content.size());
            assertThat(data.reply().code()).isEqualTo(554);
        }
        assertThat(alice.command("STAT x").code()).isEqualTo(550);
    }

    @Test
    void aSecondUploadOfTheSameFileWhileOneRunsIs450() throws IOException {
        Payload content = Payload.random(6, 2 * MIB);
        Reply first = uploadTicket(alice, "busy", content);
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(content, 0, MIB);
            assertThat(alice.command("UPLOAD busy " + content.size() + " " + content.md5()))
                    .hasToString("450 an upload of /busy is already in progress");
            data.sendBytes(content, MIB, content.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void aDownloadResumesAtAnOffset() throws IOException {
        Payload content = Payload.random(8, 3 * MIB + 7);
        upload(alice, "d.bin", content);
        long offset = MIB + 3;
        Reply ticket = alice.command("DOWNLOAD d.bin " + offset);
        assertThat(ticket.text()).matches("ticket=[0-9a-f]{32} offset=" + offset + " size=" + content.size() + " md5="
                + content.md5() + " mtime=\\d+ receive the bytes on a data connection");
        assertThat(download(alice, "d.bin", offset)).isEqualTo(content.md5(offset, content.size()));
        assertThat(download(alice, "d.bin", content.size())).isEqualTo(Payload.of(new byte[0]).md5());
    }

    // ---- UPLOAD refusals ----

    @Test
    void uploadOntoAnExistingFileNeedsOverwrite() throws IOException {
        Payload first = Payload.of("first version");
        Payload second = Payload.of("second, longer version");
        upload(alice, "f.txt", first);
        assertThat(alice.command("UPLOAD f.txt " + second.size() + " " + second.md5()))
                .hasToString("521 already exists: /f.txt (--overwrite to replace it)");
        assertThat(upload(alice, "f.txt", second, "--overwrite").code()).isEqualTo(226);
        assertThat(lsEntry("f.txt")).startsWith("f " + second.size() + " ").endsWith(" " + second.md5() + " f.txt");
        assertThat(ls(alice, "")).hasSize(1);
        assertThat(download(alice, "f.txt", 0)).isEqualTo(second.md5());
    }

    @Test
    void aFileCreatedMeanwhileMakesTheSecondUpload521() throws IOException {
        Payload a = Payload.of("a");
        Payload b = Payload.of("b");
        Reply ticketA = uploadTicket(alice, "race", a);
        Reply ticketB = uploadTicket(alice, "race", b);
        try (ProtocolClient data = openData(ticketA.param("ticket"))) {
            data.sendBytes(a, 0, 1);
            assertThat(data.reply().code()).isEqualTo(226);
        }
        try (ProtocolClient data = openData(ticketB.param("ticket"))) {
            data.sendBytes(b, 0, 1);
            assertThat(data.reply()).hasToString("521 already exists: /race (--overwrite to replace it)");
        }
        assertThat(lsEntry("race")).endsWith(" " + a.md5() + " race");
    }

    @Test
    void uploadOntoADirectoryIs550EvenWithOverwrite() throws IOException {
        alice.command("MAKEDIR d");
        Payload content = Payload.of("x");
        assertThat(alice.command("UPLOAD d 1 " + content.md5())).hasToString("550 is a directory: /d");
        assertThat(alice.command("UPLOAD d 1 " + content.md5() + " --overwrite")).hasToString("550 is a directory: /d");
        assertThat(alice.command("UPLOAD / 1 " + content.md5()).code()).isEqualTo(550);
        assertThat(lsEntry("")).startsWith("d ");
    }

    @Test
    void uploadIntoAMissingDirectoryIs550() throws IOException {
        Payload content = Payload.of("x");
        assertThat(alice.command("UPLOAD a/b 1 " + content.md5())).hasToString("550 no such directory: /a");
        upload(alice, "file", content);
        assertThat(alice.command("UPLOAD file/b 1 " + content.md5())).hasToString("550 no such directory: /file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPLOAD", "UPLOAD f", "UPLOAD f 1 - extra", "UPLOAD f -1 d41d8cd98f00b204e9800998ecf8427e",
            "UPLOAD f abc d41d8cd98f00b204e9800998ecf8427e", "UPLOAD f 1e3 d41d8cd98f00b204e9800998ecf8427e",
            "UPLOAD f +1 d41d8cd98f00b204e9800998ecf8427e", "UPLOAD f 99999999999999999999 d41d8cd98f00b204e9800998ecf8427e",
            "UPLOAD f 1 xyz", "UPLOAD f 1 d41d8cd98f00b204e9800998ecf842", "UPLOAD f 1 d41d8cd98f00b204e9800998ecf8427g",
            "UPLOAD f 1 d41d8cd98f00b204e9800998ecf8427e --force", "UPLOAD f 1 d41d8cd98f00b204e9800998ecf8427e extra"})
    void uploadWithBadArgumentsIs501(String line) throws IOException {
        Reply reply = alice.command(line);
        assertThat(reply.code()).as(reply.toString()).isEqualTo(501);
    }

    @Test
    void uploadOfABadNameIs553() throws IOException {
        String md5 = Payload.of("x").md5();
        assertThat(alice.command("UPLOAD ../x 1 " + md5).text()).startsWith("path escapes your root");
        assertThat(alice.command("UPLOAD \"" + "\u65e5".repeat(86) + "\" 1 " + md5).text()).startsWith("file name too long");
        assertThat(alice.command("UPLOAD " + "n".repeat(256) + " 1 " + md5).code()).isEqualTo(553);
        assertThat(ls(alice, "")).isEmpty();
    }

    // ---- DOWNLOAD refusals ----

    @Test
    void downloadRefusals() throws IOException {
        alice.command("MAKEDIR d");
        upload(alice, "f", Payload.of("12345"));
        assertThat(alice.command("DOWNLOAD nothing")).hasToString("550 no such file: /nothing");
        assertThat(alice.command("DOWNLOAD d")).hasToString("550 is a directory: /d");
        assertThat(alice.command("DOWNLOAD /")).hasToString("550 is a directory: /");
        assertThat(alice.command("DOWNLOAD f 6").text()).contains("beyond the end of the file (5 bytes)");
        assertThat(alice.command("DOWNLOAD f 6").code()).isEqualTo(501);
        assertThat(alice.command("DOWNLOAD f -1").code()).isEqualTo(501);
        assertThat(alice.command("DOWNLOAD f x").code()).isEqualTo(501);
        assertThat(alice.command("DOWNLOAD").code()).isEqualTo(501);
        assertThat(alice.command("DOWNLOAD f 1 2").code()).isEqualTo(501);
        assertThat(alice.command("DOWNLOAD ../../f").code()).isEqualTo(553);
    }

    @Test
    void aFileReplacedBeforeItsDataConnectionIs450() throws IOException {
        upload(alice, "f", Payload.of("old"));
        Reply ticket = alice.command("DOWNLOAD f");
        upload(alice, "f", Payload.of("new bytes"), "--overwrite");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket"))).hasToString("450 file changed: request it again");
            assertThat(data.isClosedByServer()).isTrue();
        }
    }

    // ---- DATA ----

    @Test
    void anUnknownTicketIs425AndCloses() throws IOException {
        ProtocolClient data = connect();
        assertThat(data.command("DATA 0123456789abcdef0123456789abcdef")).hasToString("425 unknown or expired ticket");
        assertThat(data.isClosedByServer()).isTrue();
    }

    @Test
    void aTicketWorksOnlyOnce() throws IOException {
        Payload content = Payload.of("once");
        upload(alice, "f", content);
        Reply ticket = alice.command("DOWNLOAD f");
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.readBytes(content.size(), Payload.newMd5());
            assertThat(data.reply().code()).isEqualTo(226);
        }
        ProtocolClient again = connect();
        assertThat(again.command("DATA " + ticket.param("ticket")).code()).isEqualTo(425);
        assertThat(again.isClosedByServer()).isTrue();

        Reply uploadTicket = uploadTicket(alice, "g", content);
        try (ProtocolClient data = openData(uploadTicket.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
        assertThat(connect().command("DATA " + uploadTicket.param("ticket")).code()).isEqualTo(425);
    }

    @Test
    void anUploadTicketIsSingleUseEvenWhileItsTransferRuns() throws IOException {
        Payload content = Payload.of("abc");
        Reply ticket = uploadTicket(alice, "f", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            assertThat(connect().command("DATA " + ticket.param("ticket")).code()).isEqualTo(425);
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void dataOnALoggedInConnectionIs503AndTheConnectionStays() throws IOException {
        upload(alice, "f", Payload.of("x"));
        Reply ticket = alice.command("DOWNLOAD f");
        assertThat(alice.command("DATA " + ticket.param("ticket")).code()).isEqualTo(503);
        assertThat(alice.command("NOOP")).hasToString("200 OK");
    }

    @Test
    void dataWithoutATicketIs501() throws IOException {
        assertThat(connect().command("DATA").code()).isEqualTo(501);
    }

    @Test
    void theControlConnectionStaysFreeDuringATransfer() throws IOException {
        Payload content = Payload.random(9, 2 * MIB);
        Reply ticket = uploadTicket(alice, "f", content);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(content, 0, MIB);
            assertThat(alice.command("NOOP").code()).isEqualTo(200);
            assertThat(alice.command("LS").code()).isEqualTo(212);
            data.sendBytes(content, MIB, content.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }
}
