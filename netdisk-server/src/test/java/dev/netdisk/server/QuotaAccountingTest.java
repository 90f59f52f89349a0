package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.StoragePolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quotas that count everything a user makes the server keep (issue 22, findings 2 and 3): kept
 * partial uploads and the reservations of announced uploads, chat history, and entries; and the
 * per-user cap on kept uploads, oldest dropped first.
 */
class QuotaAccountingTest extends ServerTestSupport {

    private static final int MIB = 1 << 20;

    /** 10 MiB quota; 32 kept uploads, 64 MiB of them; 200 bytes of chat; 8 entries. */
    private static StoragePolicy policy() {
        return new StoragePolicy(10L * MIB, Duration.ofDays(30)).withUserLimits(32, 64L * MIB, 200, 8);
    }

    @Override
    ServerConfig config() {
        return super.config().withStorage(policy());
    }

    @Test
    void anAbandonedUploadReservesItsSizeAndItsResumeStillFits() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        Payload big = Payload.random(1, 9L * MIB);
        Reply ticket = uploadTicket(alice, "big.bin", big);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(big, 0, 5L * MIB);
            data.shutdownOutput();
            assertThat(data.isClosedByServer()).isTrue();
        }
        Reply quota = alice.command("QUOTA");
        assertThat(quota.param("used")).isEqualTo(String.valueOf(9L * MIB));
        assertThat(quota.param("uploads")).isEqualTo(String.valueOf(9L * MIB));
        assertThat(quota.param("files")).isEqualTo("0");
        assertThat(alice.command("DU /").text()).contains(" uploads=" + 9L * MIB + " ");

        // Before: QUOTA said used=0 and 25 such uploads could be kept against a 10 MiB quota.
        Reply other = alice.command("UPLOAD other.bin " + 2 * MIB + " " + Payload.random(2, 2L * MIB).md5());
        assertThat(other.code()).isEqualTo(552);
        // The same upload resumes: its own reservation is not counted twice.
        Reply resumed = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> alice.command("UPLOAD big.bin " + big.size() + " " + big.md5()), r -> r.code() == 350);
        // And is stored: at its commit its reservation becomes the file, not counted beside it.
        try (ProtocolClient data = openData(resumed.param("ticket"))) {
            data.sendBytes(big, resumed.longParam("offset"), big.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
        Reply after = alice.command("QUOTA");
        assertThat(after.param("files")).isEqualTo(String.valueOf(9L * MIB));
        assertThat(after.param("uploads")).isEqualTo("0");
    }

    @Test
    void uploadsAnnouncedTogetherCannotExceedTheQuotaTogether() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Payload p = Payload.random(10 + i, MIB + 1);
            codes.add(alice.command("UPLOAD f" + i + ".bin " + p.size() + " " + p.md5()).code());
        }
        // 9 of 1 MiB + 1 byte fit in 10 MiB; before, all 16 were given tickets (144 MiB in the issue).
        assertThat(codes.stream().filter(c -> c == 350).count()).isEqualTo(9);
        assertThat(codes.subList(9, 16)).containsOnly(552);
        assertThat(Long.parseLong(alice.command("QUOTA").param("uploads"))).isEqualTo(9L * (MIB + 1));
    }

    @Test
    void uploadsAnnouncedAtTheSameInstantOnManyConnectionsCannotExceedTheQuotaTogether() throws Exception {
        List<ProtocolClient> connections = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            connections.add(loggedIn("alice"));
        }
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ProtocolClient c = connections.get(i);
                Payload p = Payload.random(40 + i, MIB + 1);
                String line = "UPLOAD g" + i + ".bin " + p.size() + " " + p.md5();
                codes.add(pool.submit(() -> {
                    go.await();
                    return c.command(line).code();
                }));
            }
            go.countDown();
            long accepted = 0;
            for (java.util.concurrent.Future<Integer> f : codes) {
                accepted += f.get() == 350 ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Long.parseLong(connections.get(0).command("QUOTA").param("uploads"))).isEqualTo(9L * (MIB + 1));
    }

    @Test
    void smallUploadsAnnouncedTogetherReserveTheirSizeTooUntilTheyEnd() throws Exception {
        server.close();
        server = NetdiskServer.start(config().withStorage(new StoragePolicy(MIB, Duration.ofDays(30))));
        ProtocolClient alice = loggedIn("alice");
        int small = 64 * 1024; // small files are not kept for resume: reserved in memory
        List<Reply> tickets = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            Payload p = Payload.random(60 + i, small);
            Reply r = alice.command("UPLOAD s" + i + ".bin " + p.size() + " " + p.md5());
            if (r.code() == 350) {
                tickets.add(r);
            } else {
                assertThat(r.code()).isEqualTo(552);
                refused++;
            }
        }
        assertThat(tickets).hasSize(16);
        assertThat(refused).isEqualTo(4);
        assertThat(alice.command("QUOTA").param("uploads")).isEqualTo(String.valueOf(16L * small));
        // One ends (stored): its reservation becomes a file, nothing more fits.
        try (ProtocolClient data = openData(tickets.get(0).param("ticket"))) {
            data.sendBytes(Payload.random(60, small), 0, small);
            assertThat(data.reply().code()).isEqualTo(226);
        }
        Payload more = Payload.random(99, small);
        assertThat(alice.command("UPLOAD more.bin " + more.size() + " " + more.md5()).code()).isEqualTo(552);
        // A LOGOUT revokes the 15 unused tickets and gives their reservations back.
        assertThat(alice.command("LOGOUT").code()).isEqualTo(200);
        assertThat(alice.command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
        assertThat(alice.command("QUOTA").param("uploads")).isEqualTo("0");
        assertThat(alice.command("UPLOAD more.bin " + more.size() + " " + more.md5()).code()).isEqualTo(350);
    }

    @Test
    void keptUploadsPastTheCapDropTheOldestFirstAndRevokeItsTicket() throws Exception {
        server.close();
        server = NetdiskServer.start(config().withStorage(new StoragePolicy(100L * MIB, Duration.ofDays(30))
                .withUserLimits(2, 64L * MIB, 0, 0)));
        ProtocolClient alice = loggedIn("alice");
        Payload a = Payload.random(21, MIB);
        Payload b = Payload.random(22, MIB);
        Payload c = Payload.random(23, MIB);
        Reply first = uploadTicket(alice, "a.bin", a);
        Reply second = uploadTicket(alice, "b.bin", b);
        uploadTicket(alice, "c.bin", c);
        assertThat(alice.command("QUOTA").param("uploads")).isEqualTo(String.valueOf(2L * MIB));
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + first.param("ticket")).text()).startsWith("ticket revoked: unfinished upload dropped");
        }
        try (ProtocolClient data = openData(second.param("ticket"))) {
            data.sendBytes(b, 0, b.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void chatHistoryHasAPerUserLimitWithAClearRefusal() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        String message = "x".repeat(60);
        for (int i = 0; i < 3; i++) {
            assertThat(alice.command("CHAT alice " + message).code()).isEqualTo(250);
        }
        Reply full = alice.command("CHAT alice " + message);
        assertThat(full.code()).isEqualTo(552);
        assertThat(full.text()).startsWith("chat history full: your stored messages reached 200 bytes");
        assertThat(alice.command("QUOTA").param("chat")).isEqualTo("180");
        assertThat(alice.command("CHAT alice short").code()).as("20 bytes still fit").isEqualTo(250);
    }

    @Test
    void entriesPerUserAreLimitedTrashIncluded() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        // The root is one entry: 7 more fit.
        for (int i = 0; i < 5; i++) {
            assertThat(alice.command("MAKEDIR d" + i).code()).isEqualTo(257);
        }
        assertThat(upload(alice, "f.txt", Payload.of("hello")).code()).isEqualTo(226);
        assertThat(alice.command("RM f.txt").code()).isEqualTo(250);
        assertThat(alice.command("MAKEDIR last").code()).isEqualTo(257);
        Reply refused = alice.command("MAKEDIR one-too-many");
        assertThat(refused.code()).isEqualTo(552);
        assertThat(refused.text()).startsWith("too many entries: 1 more would make 9 files and directories, trash included (max 8)");
        assertThat(alice.command("UPLOAD g.txt 5 " + Payload.of("hello").md5()).code()).isEqualTo(552);
        assertThat(alice.command("COPY d0 d9").code()).isEqualTo(552);
        Reply quota = alice.command("QUOTA");
        assertThat(quota.param("entries")).isEqualTo("8");
        assertThat(quota.param("max-entries")).isEqualTo("8");
    }
}
