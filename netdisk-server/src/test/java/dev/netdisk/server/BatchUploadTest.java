package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.store.Quotas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code BATCH}: many small uploads streamed on one data connection, answered in order
 * (PROTOCOL.md section 6, "Many files on one data connection").
 */
class BatchUploadTest extends ServerTestSupport {

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws Exception {
        alice = loggedIn("alice");
        assertThat(alice.command("MAKEDIR d").code()).isEqualTo(257);
    }

    /** Asks for a batch and opens its data connection. */
    private ProtocolClient openBatch() throws IOException {
        Reply ticket = alice.command("BATCH");
        assertThat(ticket.code()).as("BATCH: %s", ticket).isEqualTo(350);
        assertThat(ticket.longParam("max-size")).isEqualTo(65_536);
        ProtocolClient data = connect();
        Reply started = data.command("DATA " + ticket.param("ticket"));
        assertThat(started.code()).as("DATA: %s", started).isEqualTo(150);
        return data;
    }

    /** One file of a batch: its line and its bytes. */
    private static byte[] file(String path, Payload payload, String... options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("UPLOAD " + path + " " + payload.size() + " " + payload.md5()
                + (options.length == 0 ? "" : " " + String.join(" ", options)) + "\r\n").getBytes(StandardCharsets.UTF_8));
        payload.writeTo(out, 0, payload.size());
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void filesSentBackToBackAreStoredAndAnsweredInOrder() throws Exception {
        Payload a = Payload.random(1, 4096);
        Payload b = Payload.random(2, 65_536);
        Payload empty = Payload.of(new byte[0]);
        ProtocolClient data = openBatch();
        // Everything in one write, QUIT included: no answer is awaited before the next file.
        data.sendRaw(concat(file("/d/a.bin", a), file("d/b.bin", b), file("/d/empty", empty),
                "QUIT\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(data.reply()).hasToString("226 size=4096 md5=" + a.md5() + " stored /d/a.bin");
        assertThat(data.reply()).hasToString("226 size=65536 md5=" + b.md5() + " stored /d/b.bin");
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.reply()).hasToString("221 bye; end of batch: 3 stored, 0 sent, 0 refused");
        assertThat(data.isClosedByServer()).isTrue();

        assertThat(download(alice, "/d/a.bin", 0)).isEqualTo(a.md5());
        assertThat(download(alice, "/d/b.bin", 0)).isEqualTo(b.md5());
        assertThat(alice.command("STAT /d/empty").text()).startsWith("f 0 ");
    }

    @Test
    void aRefusedFileIsAnsweredAndTheBatchGoesOn() throws Exception {
        Payload a = Payload.of("first");
        Payload b = Payload.of("second");
        Payload big = Payload.random(3, 65_537);
        ProtocolClient data = openBatch();
        data.sendRaw(concat(
                file("/d/a.txt", a),
                "UPLOAD /d/wrong.txt 5 00000000000000000000000000000000\n12345".getBytes(StandardCharsets.UTF_8),
                file("/nowhere/a.txt", a),
                file("/d/../../up.txt", a),
                file("/d/a.txt", b),
                file("/d/big.bin", big),
                "UPLOAD /d/bad.txt 3 not-an-md5\nabc".getBytes(StandardCharsets.UTF_8),
                file("/d/x.txt", a, "--force"),
                file("/shared/bob/x.txt", a),
                file("/d", a),
                file("/d/a.txt", b, "--overwrite"),
                "QUIT\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.reply().toString()).startsWith("554 checksum mismatch: expected 00000000000000000000000000000000");
        assertThat(data.reply()).hasToString("550 no such directory: /nowhere");
        assertThat(data.reply()).hasToString("553 path escapes your root: /d/../../up.txt");
        assertThat(data.reply()).hasToString("521 already exists: /d/a.txt (--overwrite to replace it)");
        assertThat(data.reply()).hasToString("226 size=65537 md5=" + big.md5() + " stored /d/big.bin");
        assertThat(data.reply().toString()).startsWith("501 usage: UPLOAD path size md5|- [mtime=MS] [--overwrite]");
        assertThat(data.reply()).hasToString("501 unknown option: --force");
        assertThat(data.reply().code()).isEqualTo(550);
        assertThat(data.reply()).hasToString("550 is a directory: /d");
        assertThat(data.reply()).hasToString("226 size=6 md5=" + b.md5() + " stored /d/a.txt");
        assertThat(data.reply()).hasToString("221 bye; end of batch: 3 stored, 0 sent, 8 refused");

        assertThat(ls(alice, "/d")).hasSize(2);
        assertThat(download(alice, "/d/a.txt", 0)).isEqualTo(b.md5());
    }

    @Test
    void uploadsOfOnePathAreCommittedInTheOrderSent() throws Exception {
        // Each file in its own write, so the server reads them in many reads: one worker at a
        // time takes them, in order, whatever the number of workers.
        ProtocolClient data = openBatch();
        Payload last = null;
        for (int i = 0; i < 100; i++) {
            last = Payload.of("version " + i);
            data.sendRaw(i == 0 ? file("/d/v.txt", last) : file("/d/v.txt", last, "--overwrite"));
        }
        data.sendRaw("QUIT\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 100; i++) {
            assertThat(data.reply().code()).as("answer %d", i).isEqualTo(226);
        }
        assertThat(data.reply()).hasToString("221 bye; end of batch: 100 stored, 0 sent, 0 refused");
        assertThat(download(alice, "/d/v.txt", 0)).isEqualTo(last.md5());
    }

    @Test
    void theBytesAndTrailerOfARefusedBigFileAreSkipped() throws Exception {
        // 9 MiB: more than the server holds unanswered, though a refused file holds none of it.
        Payload huge = Payload.random(6, 9L << 20);
        Payload after = Payload.of("after");
        ProtocolClient data = openBatch();
        data.sendRaw(("UPLOAD /nowhere/huge.bin " + huge.size() + " -\n").getBytes(StandardCharsets.UTF_8));
        data.sendBytes(huge, 0, huge.size());
        data.sendRaw(concat(("MD5 " + huge.md5() + "\n").getBytes(StandardCharsets.UTF_8), file("/d/after.txt", after),
                "QUIT\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(data.reply()).hasToString("550 no such directory: /nowhere");
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.reply()).hasToString("221 bye; end of batch: 1 stored, 0 sent, 1 refused");
    }

    @Test
    void filesOfAnySizeWithTheMd5BeforeOrAfterTheBytesShareOneConnection() throws Exception {
        Payload big = Payload.random(7, 3L << 20);
        Payload deferredBig = Payload.random(8, (2L << 20) + 5);
        Payload deferredSmall = Payload.of("small, its md5 after it");
        Payload lie = Payload.random(9, 200_000);
        ProtocolClient data = openBatch();
        data.sendRaw(file("/d/big.bin", big));
        data.sendRaw(("UPLOAD /d/deferred.bin " + deferredBig.size() + " -\n").getBytes(StandardCharsets.UTF_8));
        data.sendBytes(deferredBig, 0, deferredBig.size());
        data.sendRaw(concat(("MD5 " + deferredBig.md5().toUpperCase() + "\r\n").getBytes(StandardCharsets.UTF_8),
                ("UPLOAD /d/small.txt " + deferredSmall.size() + " -\n").getBytes(StandardCharsets.UTF_8)));
        data.sendBytes(deferredSmall, 0, deferredSmall.size());
        data.sendRaw(("MD5 " + deferredSmall.md5() + "\nUPLOAD /d/lie.bin " + lie.size() + " -\n")
                .getBytes(StandardCharsets.UTF_8));
        data.sendBytes(lie, 0, lie.size());
        data.sendRaw(("MD5 " + "0".repeat(32) + "\nUPLOAD /d/bad.bin " + lie.size() + " -\n")
                .getBytes(StandardCharsets.UTF_8));
        data.sendBytes(lie, 0, lie.size());
        data.sendRaw("SHA1 nope\nQUIT\n".getBytes(StandardCharsets.UTF_8));

        assertThat(data.reply()).hasToString("226 size=" + big.size() + " md5=" + big.md5() + " stored /d/big.bin");
        assertThat(data.reply()).hasToString("226 size=" + deferredBig.size() + " md5=" + deferredBig.md5()
                + " stored /d/deferred.bin");
        assertThat(data.reply()).hasToString("226 size=" + deferredSmall.size() + " md5=" + deferredSmall.md5()
                + " stored /d/small.txt");
        assertThat(data.reply()).hasToString("554 checksum mismatch: expected " + "0".repeat(32) + ", received "
                + lie.md5() + "; nothing was stored: /d/lie.bin");
        assertThat(data.reply()).hasToString("501 bad checksum trailer: expected MD5 <32 hex digits>, got \"SHA1 nope\";"
                + " the bytes are kept for resume");
        assertThat(data.reply()).hasToString("221 bye; end of batch: 3 stored, 0 sent, 2 refused");

        assertThat(download(alice, "/d/big.bin", 0)).isEqualTo(big.md5());
        assertThat(download(alice, "/d/deferred.bin", 0)).isEqualTo(deferredBig.md5());
        // The bytes kept from the bad trailer resume through UPLOAD: only the trailer is left to send.
        Reply resume = alice.command("UPLOAD /d/bad.bin " + lie.size() + " -");
        assertThat(resume.longParam("offset")).isEqualTo(lie.size());
    }

    @Test
    void aStreamedFileAndASmallOneOfOnePathAreCommittedInTheOrderSent() throws Exception {
        Payload big = Payload.random(10, 1L << 20);
        Payload small = Payload.of("second, without --overwrite");
        ProtocolClient data = openBatch();
        // The small file is in long before the big one's lanes are done: it still waits its turn.
        data.sendRaw(("UPLOAD /d/same " + big.size() + " -\n").getBytes(StandardCharsets.UTF_8));
        data.sendBytes(big, 0, big.size());
        data.sendRaw(concat(("MD5 " + big.md5() + "\n").getBytes(StandardCharsets.UTF_8), file("/d/same", small),
                "QUIT\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(data.reply()).hasToString("226 size=" + big.size() + " md5=" + big.md5() + " stored /d/same");
        assertThat(data.reply()).hasToString("521 already exists: /d/same (--overwrite to replace it)");
        assertThat(data.reply()).hasToString("221 bye; end of batch: 1 stored, 0 sent, 1 refused");
        assertThat(download(alice, "/d/same", 0)).isEqualTo(big.md5());
    }

    @Test
    void aStreamedFileCutShortIsKeptAndResumesThroughUpload() throws Exception {
        Payload big = Payload.random(11, DataKey.PART_BYTES + (3L << 20));
        long sent = DataKey.PART_BYTES + (2L << 20);
        ProtocolClient data = openBatch();
        data.sendRaw(("UPLOAD /d/cut.bin " + big.size() + " " + big.md5() + "\n").getBytes(StandardCharsets.UTF_8));
        data.sendBytes(big, 0, sent);
        data.shutdownOutput();
        assertThat(data.reply()).hasToString("221 end of stream; end of batch: 0 stored, 0 sent, 0 refused");

        // The bytes are written before they are kept: until then the upload is still in progress.
        Reply resume = org.awaitility.Awaitility.await().until(
                () -> alice.command("UPLOAD /d/cut.bin " + big.size() + " " + big.md5()), r -> r.code() == 350);
        // Whole encrypted parts are kept (crypt/DataKey): the part cut short is sent again.
        long offset = resume.longParam("offset");
        assertThat(offset).isEqualTo(DataKey.PART_BYTES);
        ProtocolClient rest = connect();
        assertThat(rest.command("DATA " + resume.param("ticket")).code()).isEqualTo(150);
        rest.sendBytes(big, offset, big.size());
        assertThat(rest.reply()).hasToString("226 size=" + big.size() + " md5=" + big.md5() + " stored /d/cut.bin");
    }

    @Test
    void aLineThatCannotBeFramedEndsTheBatchAfterTheFilesBeforeIt() throws Exception {
        Payload a = Payload.of("kept");
        ProtocolClient data = openBatch();
        data.sendRaw(concat(file("/d/a.txt", a), "UPLOAD /d/b.txt lots\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.reply()).hasToString("501 usage: UPLOAD path size md5|- [mtime=MS] [--overwrite] (size a number of bytes);"
                + " end of batch: 1 stored, 0 sent, 0 refused");
        assertThat(data.isClosedByServer()).isTrue();

        ProtocolClient other = openBatch();
        assertThat(other.command("LS /")).hasToString("503 a batch takes only UPLOAD path size md5|- [mtime=MS] [--overwrite], DOWNLOAD path [offset] or QUIT;"
                + " end of batch: 0 stored, 0 sent, 0 refused");
        assertThat(other.isClosedByServer()).isTrue();

        ProtocolClient third = openBatch();
        third.sendRaw(("UPLOAD /d/" + "x".repeat(20_000) + " 1 00000000000000000000000000000000\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(third.reply().code()).isEqualTo(500);
        assertThat(third.isClosedByServer()).isTrue();

        assertThat(alice.command("NOOP").code()).isEqualTo(200);
        assertThat(ls(alice, "/d")).hasSize(1);
    }

    @Test
    void aClientThatLeavesMidFileLosesOnlyThatFile() throws Exception {
        Payload a = Payload.random(4, 3000);
        Payload b = Payload.random(5, 3000);
        ProtocolClient data = openBatch();
        byte[] second = file("/d/b.bin", b);
        data.sendRaw(concat(file("/d/a.bin", a), java.util.Arrays.copyOf(second, second.length - 10)));
        assertThat(data.reply().code()).isEqualTo(226);
        data.shutdownOutput();
        assertThat(data.reply()).hasToString("221 end of stream; end of batch: 1 stored, 0 sent, 0 refused");
        assertThat(data.isClosedByServer()).isTrue();

        ProtocolClient reset = openBatch();
        reset.sendRaw(java.util.Arrays.copyOf(second, 100));
        reset.abort();

        assertThat(ls(alice, "/d")).hasSize(1);
        assertThat(alice.command("STAT /d/b.bin").code()).isEqualTo(550);
    }

    @Test
    void theFilesOfABatchNotYetCommittedCountAgainstTheQuota() throws Exception {
        long id = server.users().find("alice").orElseThrow().id();
        new Quotas(server.database(), 0).setLimit(id, OptionalLong.of(10_000));
        ProtocolClient data = openBatch();
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(file("/d/f" + i, Payload.random(10 + i, 4000)));
        }
        files.add("QUIT\n".getBytes(StandardCharsets.UTF_8));
        data.sendRaw(concat(files.toArray(byte[][]::new)));
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.reply().code()).isEqualTo(226);
        assertThat(data.reply().toString()).startsWith("552 quota exceeded");
        assertThat(data.reply().toString()).startsWith("552 quota exceeded");
        assertThat(data.reply().text()).endsWith("2 stored, 0 sent, 2 refused");
        assertThat(alice.command("QUOTA").longParam("used")).isEqualTo(8000);
    }

    @Test
    void moreFilesThanTheServerHoldsAtOnceAreAllAnswered() throws Exception {
        // Past 1,024 files unanswered the server stops reading; the client keeps writing meanwhile.
        int count = 3000;
        ProtocolClient data = openBatch();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int i = 0; i < count; i++) {
                    all.writeBytes(file("/d/f" + i, Payload.of("file " + i)));
                }
                all.writeBytes("QUIT\n".getBytes(StandardCharsets.UTF_8));
                data.sendRaw(all.toByteArray());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < count; i++) {
            assertThat(data.reply().toString()).as("file %d", i).endsWith(" stored /d/f" + i);
        }
        assertThat(data.reply()).hasToString("221 bye; end of batch: 3000 stored, 0 sent, 0 refused");
        sending.join();
        assertThat(ls(alice, "/d")).hasSize(count);
    }

    @Test
    void aBatchTicketNeedsALoginAndServesOneConnection() throws Exception {
        ProtocolClient anonymous = connect();
        assertThat(anonymous.command("BATCH").code()).isEqualTo(530);
        assertThat(alice.command("BATCH now").code()).isEqualTo(501);

        String ticket = alice.command("BATCH").param("ticket");
        ProtocolClient first = connect();
        assertThat(first.command("DATA " + ticket).code()).isEqualTo(150);
        ProtocolClient second = connect();
        assertThat(second.command("DATA " + ticket).code()).isEqualTo(425);
    }
}
