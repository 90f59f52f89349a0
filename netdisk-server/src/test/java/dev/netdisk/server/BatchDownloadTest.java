package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DOWNLOAD path [offset]} items of a batch: many files of any size sent back on one data
 * connection, each as a {@code 150} line and its bytes, in the order asked (PROTOCOL.md section 6,
 * "Many files on one data connection").
 */
class BatchDownloadTest extends ServerTestSupport {

    private final Payload a = Payload.random(1, 4096);
    private final Payload b = Payload.random(2, 65_536);
    private final Payload empty = Payload.of(new byte[0]);
    private ProtocolClient alice;

    @BeforeEach
    void store() throws Exception {
        alice = loggedIn("alice");
        assertThat(alice.command("MAKEDIR d").code()).isEqualTo(257);
        assertThat(upload(alice, "d/a.bin", a).code()).isEqualTo(226);
        assertThat(upload(alice, "d/b.bin", b).code()).isEqualTo(226);
        assertThat(upload(alice, "d/empty", empty).code()).isEqualTo(226);
    }

    private ProtocolClient openBatch(ProtocolClient control) throws IOException {
        Reply ticket = control.command("BATCH");
        assertThat(ticket.code()).as("BATCH: %s", ticket).isEqualTo(350);
        return openData(ticket.param("ticket"));
    }

    private static byte[] lines(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one {@code 150} answer and the bytes after it; returns their MD5, checked against the line's. */
    private static String received(ProtocolClient data, String path) throws IOException {
        Reply answer = data.reply();
        assertThat(answer.code()).as("answer for %s: %s", path, answer).isEqualTo(150);
        assertThat(answer.text()).endsWith(" sending " + path);
        MessageDigest md5 = Payload.newMd5();
        data.readBytes(answer.longParam("size"), md5);
        String actual = Md5.hex(md5);
        assertThat(actual).isEqualTo(answer.param("md5"));
        return actual;
    }

    @Test
    void filesAskedBackToBackComeInOrderEachAfterItsLine() throws Exception {
        Payload c = Payload.of("uploaded in the same batch");
        ProtocolClient data = openBatch(alice);
        byte[] upload = ("UPLOAD /d/c.txt " + c.size() + " " + c.md5() + "\n").getBytes(StandardCharsets.UTF_8);
        data.sendRaw(lines("DOWNLOAD /d/a.bin", "DOWNLOAD d/b.bin", "DOWNLOAD \"/d/empty\""));
        data.sendRaw(upload);
        data.sendBytes(c, 0, c.size());
        data.sendRaw(lines("DOWNLOAD /d/a.bin", "QUIT"));

        assertThat(received(data, "/d/a.bin")).isEqualTo(a.md5());
        assertThat(received(data, "/d/b.bin")).isEqualTo(b.md5());
        assertThat(received(data, "/d/empty")).isEqualTo(empty.md5());
        assertThat(data.reply()).hasToString("226 size=" + c.size() + " md5=" + c.md5() + " stored /d/c.txt");
        assertThat(received(data, "/d/a.bin")).isEqualTo(a.md5());
        assertThat(data.reply()).hasToString("221 bye; end of batch: 1 stored, 4 sent, 0 refused");
        assertThat(data.isClosedByServer()).isTrue();
    }

    @Test
    void aRefusedDownloadIsAnsweredAndTheBatchGoesOn() throws Exception {
        ProtocolClient data = openBatch(alice);
        data.sendRaw(lines(
                "DOWNLOAD /d/missing",
                "DOWNLOAD /d",
                "DOWNLOAD /d/../../../etc/passwd",
                "DOWNLOAD /d/a.bin 4097",
                "DOWNLOAD",
                "DOWNLOAD /d/a.bin 1 2",
                "DOWNLOAD /d/a.bin --resume",
                "DOWNLOAD /shared/bob/x",
                "DOWNLOAD /d/a.bin",
                "QUIT"));

        assertThat(data.reply()).hasToString("550 no such file: /d/missing");
        assertThat(data.reply()).hasToString("550 is a directory: /d");
        assertThat(data.reply()).hasToString("553 path escapes your root: /d/../../../etc/passwd");
        assertThat(data.reply()).hasToString("501 offset 4097 is beyond the end of the file (4096 bytes): /d/a.bin");
        assertThat(data.reply()).hasToString("501 usage: DOWNLOAD path [offset]");
        assertThat(data.reply()).hasToString("501 usage: DOWNLOAD path [offset]");
        assertThat(data.reply()).hasToString("501 unknown option: --resume");
        assertThat(data.reply()).hasToString("550 no such file: /shared/bob/x");
        assertThat(received(data, "/d/a.bin")).isEqualTo(a.md5());
        assertThat(data.reply()).hasToString("221 bye; end of batch: 0 stored, 1 sent, 8 refused");
    }

    @Test
    void bigFilesTravelOnTheSameConnectionBetweenSmallOnesAndFromAnOffset() throws Exception {
        Payload big = Payload.random(3, 3 * 1024 * 1024 + 17);
        assertThat(upload(alice, "d/big.bin", big).code()).isEqualTo(226);
        ProtocolClient data = openBatch(alice);
        data.sendRaw(lines("DOWNLOAD /d/a.bin", "DOWNLOAD /d/big.bin", "DOWNLOAD /d/b.bin",
                "DOWNLOAD /d/big.bin 1048576", "DOWNLOAD /d/a.bin 4000", "QUIT"));

        assertThat(received(data, "/d/a.bin")).isEqualTo(a.md5());
        assertThat(received(data, "/d/big.bin")).isEqualTo(big.md5());
        assertThat(received(data, "/d/b.bin")).isEqualTo(b.md5());
        Reply resumed = data.reply();
        assertThat(resumed.toString()).matches("150 size=" + big.size() + " md5=" + big.md5()
                + " mtime=\\d+ offset=1048576 sending /d/big.bin");
        MessageDigest rest = Payload.newMd5();
        data.readBytes(big.size() - 1048576, rest);
        assertThat(Md5.hex(rest)).isEqualTo(big.md5(1048576, big.size()));
        Reply tail = data.reply();
        assertThat(tail.param("offset")).isEqualTo("4000");
        MessageDigest last = Payload.newMd5();
        data.readBytes(96, last);
        assertThat(Md5.hex(last)).isEqualTo(a.md5(4000, 4096));
        assertThat(data.reply()).hasToString("221 bye; end of batch: 0 stored, 5 sent, 0 refused");
    }

    @Test
    void aFriendsSharedFileComesFromTheSharedViewAndNothingElseDoes() throws Exception {
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
        assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
        assertThat(upload(alice, "secret.txt", Payload.of("not shared")).code()).isEqualTo(226);
        assertThat(alice.command("SHARE d WITH bob").code()).isEqualTo(250);

        ProtocolClient data = openBatch(bob);
        data.sendRaw(lines("DOWNLOAD /shared/alice/d/a.bin", "DOWNLOAD /d/a.bin",
                "DOWNLOAD /shared/alice/d/../secret.txt", "QUIT"));
        assertThat(received(data, "/shared/alice/d/a.bin")).isEqualTo(a.md5());
        assertThat(data.reply().code()).isEqualTo(550);
        assertThat(data.reply().code()).isEqualTo(550);
        assertThat(data.reply().text()).endsWith("0 stored, 1 sent, 2 refused");
    }

    @Test
    void moreThanTheServerHoldsAtOnceIsAllSentWhileTheClientReads() throws Exception {
        // 2,000 x 64 KiB: 125 MiB asked for in one write, far past what the server holds unanswered.
        int count = 2000;
        ProtocolClient data = openBatch(alice);
        CompletableFuture<Void> asking = CompletableFuture.runAsync(() -> {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < count; i++) {
                all.append(i % 2 == 0 ? "DOWNLOAD /d/b.bin\n" : "DOWNLOAD /d/a.bin\n");
            }
            all.append("QUIT\n");
            try {
                data.sendRaw(all.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < count; i++) {
            assertThat(received(data, i % 2 == 0 ? "/d/b.bin" : "/d/a.bin")).isEqualTo(i % 2 == 0 ? b.md5() : a.md5());
        }
        assertThat(data.reply()).hasToString("221 bye; end of batch: 0 stored, 2000 sent, 0 refused");
        asking.join();
    }

    @Test
    void aClientThatStopsReadingHoldsOnlyItsOwnBatch() throws Exception {
        ProtocolClient data = openBatch(alice);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            all.append("DOWNLOAD /d/b.bin\n");
        }
        // Asked for and never read: the server stops reading this connection, and serves the rest.
        CompletableFuture<Void> asking = CompletableFuture.runAsync(() -> {
            try {
                data.sendRaw(all.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the reset below
            }
        });
        assertThat(alice.command("NOOP").code()).isEqualTo(200);
        assertThat(download(alice, "/d/b.bin", 0)).isEqualTo(b.md5());
        data.abort();
        asking.join();

        ProtocolClient next = openBatch(alice);
        next.sendRaw(lines("DOWNLOAD /d/a.bin", "QUIT"));
        assertThat(received(next, "/d/a.bin")).isEqualTo(a.md5());
        assertThat(next.reply().code()).isEqualTo(221);
    }
}
