package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A transfer never holds up another client (docs/PROTOCOL.md section 6, DESIGN.md "Server threads"). */
@ExtendWith(RobustnessTally.class)
class ConcurrencyTest extends ServerTestSupport {

    private static final long MIB = 1 << 20;

    @Test
    void anotherClientsRepliesComeBackWhileA256MibUploadRuns() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        bob.command("MAKEDIR docs");
        Payload big = Payload.random(256, 256 * MIB);
        Reply ticket = uploadTicket(alice, "big.bin", big);
        ProtocolClient data = openData(ticket.param("ticket"));

        // What happened, in the order it happened.
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch bobDone = new CountDownLatch(1);
        long lastChunk = big.size() - MIB;
        ExecutorService uploader = Executors.newSingleThreadExecutor();
        try {
            Future<Reply> upload = uploader.submit(() -> {
                data.sendBytes(big, 0, big.size() / 2);
                halfSent.countDown();
                data.sendBytes(big, big.size() / 2, lastChunk);
                // The upload cannot complete before bob is done: its last MiB is held back.
                assertThat(bobDone.await(60, TimeUnit.SECONDS)).isTrue();
                data.sendBytes(big, lastChunk, big.size());
                Reply done = data.reply();
                events.add("upload " + done.code());
                return done;
            });

            assertThat(halfSent.await(60, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10; i++) {
                RobustnessTally.tried(ConcurrencyTest.class, "commands answered while transfers run", 3);
                events.add("bob NOOP " + bob.command("NOOP").code());
                events.add("bob LS " + bob.command("LS").code());
                events.add("bob STAT " + bob.command("STAT docs").code());
            }
            events.add("bob done");
            bobDone.countDown();

            Reply done = upload.get(60, TimeUnit.SECONDS);
            assertThat(done).hasToString("226 size=" + big.size() + " md5=" + big.md5() + " stored /big.bin");
        } finally {
            uploader.shutdownNow();
            data.close();
        }
        assertThat(events).hasSize(32);
        assertThat(events.subList(0, 30)).allSatisfy(e -> assertThat(e).matches("bob (NOOP 200|LS 212|STAT 213)"));
        assertThat(events.subList(30, 32)).containsExactly("bob done", "upload 226");
        assertThat(ls(alice, "")).singleElement().asString().startsWith("f 268435456 ");
    }

    @Test
    void aDownloadWhoseReaderStallsHoldsUpNoOne() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        Payload content = Payload.random(23, 16 * MIB);
        upload(alice, "f", content);
        Reply ticket = alice.command("DOWNLOAD f");
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            // data reads nothing more for now: the server's socket buffer fills up
            for (int i = 0; i < 5; i++) {
                RobustnessTally.tried(ConcurrencyTest.class, "commands answered while transfers run", 3);
                assertThat(bob.command("NOOP").code()).isEqualTo(200);
                assertThat(bob.command("LS").code()).isEqualTo(212);
                assertThat(alice.command("STAT f").code()).isEqualTo(213);
            }
            MessageDigest md5 = Payload.newMd5();
            data.readBytes(content.size(), md5);
            assertThat(Md5.hex(md5)).isEqualTo(content.md5());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void severalUploadsRunAtOnceOnOneControlConnection() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload a = Payload.random(21, 3 * MIB);
        Payload b = Payload.random(22, 2 * MIB + 1);
        Reply ticketA = uploadTicket(alice, "a", a);
        Reply ticketB = uploadTicket(alice, "b", b);
        try (ProtocolClient dataA = openData(ticketA.param("ticket"));
             ProtocolClient dataB = openData(ticketB.param("ticket"))) {
            // interleave the two streams
            dataA.sendBytes(a, 0, MIB);
            dataB.sendBytes(b, 0, MIB);
            RobustnessTally.tried(ConcurrencyTest.class, "commands answered while transfers run", 1);
            assertThat(alice.command("NOOP").code()).isEqualTo(200);
            dataA.sendBytes(a, MIB, a.size());
            dataB.sendBytes(b, MIB, b.size());
            assertThat(dataB.reply().code()).isEqualTo(226);
            assertThat(dataA.reply().code()).isEqualTo(226);
        }
        assertThat(download(alice, "a", 0)).isEqualTo(a.md5());
        assertThat(download(alice, "b", 0)).isEqualTo(b.md5());
    }
}
