package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A file's modification time (issue 20, point 1): {@code UPLOAD ... mtime=MS} and a batch
 * upload's {@code mtime=} set it, {@code STAT}/{@code LS} show it, {@code DOWNLOAD}'s 350 and a
 * batch download's 150 carry it, {@code COPY} and {@code MV} keep it; without {@code mtime=} it is
 * the time of the upload, as before.
 */
class ModificationTimeTest extends ServerTestSupport {

    /** 2020-01-02T03:04:05.678Z. */
    private static final long TIME = 1_577_934_245_678L;
    private static final String ISO = "2020-01-02T03:04:05.678Z";

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    private String stat(String path) throws IOException {
        Reply r = alice.command("STAT " + path);
        assertThat(r.code()).as(r.toString()).isEqualTo(213);
        return r.text();
    }

    @Test
    void anUploadsTimeIsStoredShownAndKeptByCopyAndMove() throws IOException {
        Payload content = Payload.of("hello");
        assertThat(upload(alice, "a.txt", content, "mtime=" + TIME).code()).isEqualTo(226);
        assertThat(stat("a.txt")).isEqualTo("f 5 " + ISO + " " + content.md5() + " a.txt");
        assertThat(ls(alice, "/")).contains("f 5 " + ISO + " " + content.md5() + " a.txt");
        assertThat(alice.command("DOWNLOAD a.txt").param("mtime")).isEqualTo(Long.toString(TIME));

        assertThat(alice.command("COPY a.txt b.txt").code()).isEqualTo(250);
        assertThat(alice.command("MV b.txt c.txt").code()).isEqualTo(250);
        assertThat(stat("c.txt")).isEqualTo("f 5 " + ISO + " " + content.md5() + " c.txt");

        // An overwrite takes the new file's time; without mtime= it is the time of the upload.
        long before = System.currentTimeMillis();
        assertThat(upload(alice, "a.txt", Payload.of("world"), "--overwrite").code()).isEqualTo(226);
        long stored = Long.parseLong(alice.command("DOWNLOAD a.txt").param("mtime"));
        assertThat(stored).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    }

    @Test
    void theDeferredFormTakesTheTimeInPlaceOfTheMd5AndBadTimesAre501() throws IOException {
        Reply ticket = alice.command("UPLOAD d.txt 0 mtime=0");
        assertThat(ticket.code()).as(ticket.toString()).isEqualTo(350);
        assertThat(ticket.text()).endsWith("send the bytes, then the line MD5 <md5>, on a data connection");
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendRaw("MD5 d41d8cd98f00b204e9800998ecf8427e\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(data.reply().code()).isEqualTo(226);
        }
        assertThat(stat("d.txt")).startsWith("f 0 1970-01-01T00:00:00.000Z ");

        assertThat(alice.command("UPLOAD e.txt 5 - mtime=soon")).hasToString(
                "501 mtime must be milliseconds since the epoch, years 1 to 9999: mtime=soon");
        assertThat(alice.command("UPLOAD e.txt 5 - mtime=253402300800000").code()).isEqualTo(501);
        assertThat(alice.command("UPLOAD e.txt 5 - mtime=1 extra").code()).isEqualTo(501);
    }

    @Test
    void aBatchCarriesTimesBothWays() throws IOException {
        Payload a = Payload.of("alpha");
        Payload b = Payload.of("bravo");
        Reply ticket = alice.command("BATCH");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("UPLOAD /a.txt 5 " + a.md5() + " mtime=" + TIME + "\n").getBytes(StandardCharsets.UTF_8));
        a.writeTo(out, 0, a.size());
        out.writeBytes(("UPLOAD /b.txt 5 " + b.md5() + " mtime=x\n").getBytes(StandardCharsets.UTF_8));
        b.writeTo(out, 0, b.size());
        out.writeBytes("DOWNLOAD /a.txt\nQUIT\n".getBytes(StandardCharsets.UTF_8));
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
            data.sendRaw(out.toByteArray());
            assertThat(data.reply().code()).isEqualTo(226);
            assertThat(data.reply().toString()).startsWith(
                    "501 usage: UPLOAD path size md5|- [mtime=MS] [--overwrite] (mtime milliseconds since the epoch");
            // The download is answered before a's commit may be seen: ask again below for its time.
            Reply sent = data.reply();
            assertThat(sent.code()).isIn(150, 550);
            if (sent.code() == 150) {
                data.readBytes(5, Payload.newMd5());
            }
            assertThat(data.reply().code()).isEqualTo(221);
        }
        assertThat(stat("a.txt")).contains(" " + ISO + " ");
        Reply again = alice.command("BATCH");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + again.param("ticket")).code()).isEqualTo(150);
            data.sendRaw("DOWNLOAD /a.txt\nQUIT\n".getBytes(StandardCharsets.UTF_8));
            assertThat(data.reply()).hasToString("150 size=5 md5=" + a.md5() + " mtime=" + TIME + " sending /a.txt");
        }
    }
}
