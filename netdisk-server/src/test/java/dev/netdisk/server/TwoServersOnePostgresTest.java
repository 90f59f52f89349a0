package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.StoragePolicy;
import dev.netdisk.server.ops.AdminSocket;
import dev.netdisk.server.store.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers (two {@link NetdiskServer}s in this JVM, each with its own data directory) on one
 * PostgreSQL database: what one commits, the other sees, and a quota holds exactly when both fill
 * it at once. The uploads are small, so their bytes are stored in the database itself (inline).
 */
@Timeout(180)
class TwoServersOnePostgresTest {

    private static final int FILE_BYTES = 1_000;
    private static final long QUOTA = 40L * FILE_BYTES + FILE_BYTES / 2;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    private String url;
    private final List<NetdiskServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(NetdiskServer::close);
        if (url != null) {
            TestPostgres.drop(url);
        }
    }

    private NetdiskServer start(String name, String databaseUrl) throws Exception {
        ServerConfig config = ServerConfig.forTests(dir.resolve(name)).withDatabase(databaseUrl)
                .withStorage(new StoragePolicy(QUOTA, Duration.ofDays(30)));
        NetdiskServer server = NetdiskServer.start(config);
        servers.add(server);
        return server;
    }

    @Test
    void aSmallUploadReservedOnOneServerIsCountedByUploadOnTheOther() throws Exception {
        url = TestPostgres.freshDatabase();
        NetdiskServer a = start("a", url);
        NetdiskServer b = start("b", url);
        try (ProtocolClient onA = ProtocolClient.connect(a.port()); ProtocolClient onB = ProtocolClient.connect(b.port())) {
            assertThat(onA.command("REGISTER alice " + ServerTestSupport.PASSWORD).code()).isEqualTo(200);
            assertThat(onA.command("LOGIN alice " + ServerTestSupport.PASSWORD).code()).isEqualTo(230);
            assertThat(onB.command("LOGIN alice " + ServerTestSupport.PASSWORD).code()).isEqualTo(230);
            // A small file (not kept for resume) announced on A: 40,000 of the 40,500 bytes reserved.
            Payload big = Payload.random(1, 40 * FILE_BYTES);
            Reply ticket = onA.command("UPLOAD big.bin " + big.size() + " " + big.md5());
            assertThat(ticket.code()).isEqualTo(350);

            // B sees that reservation: its UPLOAD is refused before any byte moves, not at the commit.
            assertThat(onB.command("QUOTA").param("uploads")).isEqualTo(String.valueOf(big.size()));
            Payload other = Payload.random(2, FILE_BYTES);
            Reply refused = onB.command("UPLOAD other.bin " + other.size() + " " + other.md5());
            assertThat(refused.code()).as(refused.toString()).isEqualTo(552);
            // Announcing the same file again is no second reservation, on either server.
            assertThat(onB.command("UPLOAD big.bin " + big.size() + " " + big.md5()).code()).isEqualTo(350);
            assertThat(onA.command("QUOTA").param("uploads")).isEqualTo(String.valueOf(2L * big.size()));

            // Stored through B: the reservation became the file in the commit's transaction.
            try (ProtocolClient data = ProtocolClient.connect(b.port())) {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                data.sendBytes(big, 0, big.size());
                assertThat(data.reply().code()).isEqualTo(226);
            }
            // B's own ticket for big.bin still reserves its size until LOGOUT revokes it.
            assertThat(onA.command("QUOTA").param("files")).isEqualTo(String.valueOf(big.size()));
            assertThat(onB.command("LOGOUT").code()).isEqualTo(200);
            Reply quota = onA.command("QUOTA");
            assertThat(quota.param("uploads")).isEqualTo("0");
            Payload rest = Payload.random(3, (int) (QUOTA - big.size()));
            assertThat(onA.command("UPLOAD rest.bin " + rest.size() + " " + rest.md5()).code()).isEqualTo(350);
            assertThat(onA.command("UPLOAD one.bin 1 " + Payload.random(4, 1).md5()).code()).isEqualTo(552);
        }
    }

    @Test
    void racingToFillOneQuotaFromTwoServersOvershootsByZeroBytes() throws Exception {
        url = TestPostgres.freshDatabase();
        NetdiskServer a = start("a", url);
        // The embedded server trusts local connections: this password is ignored, and must show nowhere.
        NetdiskServer b = start("b", url + "&password=hunter2");
        assertThat(AdminSocket.query(dir.resolve("a"))).containsEntry("database", "PostgreSQL " + url);
        assertThat(AdminSocket.query(dir.resolve("b")).get("database"))
                .isEqualTo("PostgreSQL " + url + "&password=***");
        // status on either machine lists both servers by the heartbeats in the database.
        assertThat(AdminSocket.query(dir.resolve("a")).get("cluster_servers")).startsWith("2 (");
        try (ProtocolClient c = ProtocolClient.connect(a.port())) {
            assertThat(c.command("REGISTER alice " + ServerTestSupport.PASSWORD).code()).isEqualTo(200);
        }
        ConcurrentLinkedQueue<Integer> refusals = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> stored = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int client = t;
            NetdiskServer on = t % 2 == 0 ? a : b;
            stored.add(pool.submit(() -> {
                int n = 0;
                try (ProtocolClient control = ProtocolClient.connect(on.port())) {
                    assertThat(control.command("LOGIN alice " + ServerTestSupport.PASSWORD).code()).isEqualTo(230);
                    go.await();
                    for (int i = 0; ; i++) {
                        Payload p = Payload.random(client * 1_000L + i, FILE_BYTES);
                        Reply ticket = control.command("UPLOAD c" + client + "-" + i + ".bin " + p.size() + " " + p.md5());
                        if (ticket.code() != 350) {
                            refusals.add(ticket.code());
                            return n;
                        }
                        try (ProtocolClient data = ProtocolClient.connect(on.port())) {
                            assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                            data.sendBytes(p, 0, p.size());
                            Reply done = data.reply();
                            if (done.code() != 226) {
                                refusals.add(done.code());
                                return n;
                            }
                        }
                        n++;
                    }
                }
            }));
        }
        go.countDown();
        int files = 0;
        for (Future<Integer> f : stored) {
            files += f.get(150, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // Every client stopped at a quota refusal, and together they stored exactly what fits.
        assertThat(refusals).hasSize(CLIENTS).containsOnly(552);
        assertThat(files).isEqualTo((int) (QUOTA / FILE_BYTES));
        for (NetdiskServer s : List.of(a, b)) {
            try (ProtocolClient c = ProtocolClient.connect(s.port())) {
                c.command("LOGIN alice " + ServerTestSupport.PASSWORD);
                Reply quota = c.command("QUOTA");
                assertThat(Long.parseLong(quota.param("files"))).isEqualTo((long) files * FILE_BYTES)
                        .isLessThanOrEqualTo(QUOTA);
                assertThat(Long.parseLong(quota.param("uploads"))).isZero();
                assertThat(c.command("LS").lines()).hasSize(files + 1);
            }
        }
    }

    /** A connection to {@code server} logged in as {@code user} (registered on first use), listening when {@code listen}. */
    private static ProtocolClient login(NetdiskServer server, String user, boolean listen) throws Exception {
        try (ProtocolClient r = ProtocolClient.connect(server.port())) {
            assertThat(r.command("REGISTER " + user + " " + ServerTestSupport.PASSWORD).code()).isIn(200, 521);
        }
        ProtocolClient c = ProtocolClient.connect(server.port());
        assertThat(c.command("LOGIN " + user + " " + ServerTestSupport.PASSWORD).code()).isEqualTo(230);
        if (listen) {
            assertThat(c.command("LISTEN").code()).isEqualTo(250);
        }
        return c;
    }

    /**
     * Reads events until one starts with {@code prefix} and returns it, skipping presence notices
     * that race with it (the read times out, failing the test, if it never comes).
     */
    private static String awaitEvent(ProtocolClient c, String prefix) throws Exception {
        while (true) {
            String event = c.event();
            if (event.startsWith(prefix)) {
                return event;
            }
            assertThat(event).as("only presence notices come between").matches("\\* (ONLINE|OFFLINE) \\w+");
        }
    }

    @Test
    void aReadMarkerMovedOnOneServerIsToldToTheUsersConnectionOnTheOther() throws Exception {
        url = TestPostgres.freshDatabase();
        NetdiskServer a = start("a", url);
        NetdiskServer b = start("b", url);
        try (ProtocolClient alice = login(a, "alice", false); ProtocolClient bobOnB = login(b, "bob", false)) {
            assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
            assertThat(bobOnB.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
            assertThat(alice.command("LISTEN").code()).isEqualTo(250);
            // Bob listens on B: once alice (on A) hears he is online, A knows he listens elsewhere.
            assertThat(bobOnB.command("LISTEN").code()).isEqualTo(250);
            // (The notice of bob's acceptance, made on B, may arrive first: alice listens now.)
            skipTo(alice, "* ONLINE bob");
            try (ProtocolClient bobOnA = login(a, "bob", true)) {
                String id = alice.command("CHAT bob lunch?").param("id");
                awaitEvent(bobOnA, "* CHAT " + id + " ");
                awaitEvent(bobOnB, "* CHAT " + id + " ");

                assertThat(bobOnA.command("READ alice").param("read")).isEqualTo(id);
                assertThat(awaitEvent(bobOnB, "* READ ")).isEqualTo("* READ alice " + id);
                assertThat(bobOnB.command("UNREAD").lines()).containsExactly("0 unread in 0 conversations");
                bobOnA.command("NOOP");
                assertThat(bobOnA.drainEvents()).as("the connection that read is not told").noneMatch(e -> e.startsWith("* READ"));
            }
        }
    }

    /** Reads events until one starts with {@code prefix} and returns it, whatever comes before. */
    private static String skipTo(ProtocolClient c, String prefix) throws Exception {
        while (true) {
            String event = c.event();
            if (event.startsWith(prefix)) {
                return event;
            }
        }
    }

    @Test
    void friendshipsAndTheirNoticesCrossServers() throws Exception {
        url = TestPostgres.freshDatabase();
        NetdiskServer a = start("a", url);
        NetdiskServer b = start("b", url);
        // Alice listens on A before any friendship: A keeps her (empty) friend list in memory.
        try (ProtocolClient alice = login(a, "alice", true); ProtocolClient bobOnB = login(b, "bob", true)) {
            assertThat(bobOnB.command("FRIEND ADD alice").code()).isEqualTo(250);
            assertThat(skipTo(alice, "* FRIEND ")).isEqualTo("* FRIEND REQUEST bob");
            try (ProtocolClient aliceOnB = login(b, "alice", false)) {
                assertThat(aliceOnB.command("FRIEND ACCEPT bob").code()).isEqualTo(250);
            }
            assertThat(skipTo(bobOnB, "* FRIEND ")).isEqualTo("* FRIEND ACCEPTED alice");
            // A learned of the friendship made on B: alice may chat with bob from A.
            await().atMost(Duration.ofSeconds(10)).until(() -> alice.command("CHAT bob hello").code() == 250);
            assertThat(skipTo(bobOnB, "* CHAT ")).endsWith("hello");

            // And of its end, on B: A refuses the chat again.
            try (ProtocolClient bobAgain = login(b, "bob", false)) {
                assertThat(bobAgain.command("FRIEND REMOVE alice").code()).isEqualTo(250);
            }
            assertThat(skipTo(alice, "* FRIEND ")).isEqualTo("* FRIEND REMOVED bob");
            await().atMost(Duration.ofSeconds(10)).until(() -> alice.command("CHAT bob still there?").code() == 550);
        }
    }

    @Test
    void aMemberKickedOnOneServerGetsNoMoreOfTheGroupFromAnother() throws Exception {
        url = TestPostgres.freshDatabase();
        NetdiskServer a = start("a", url);
        NetdiskServer b = start("b", url);
        try (ProtocolClient alice = login(a, "alice", false); ProtocolClient bobOnB = login(b, "bob", false);
             ProtocolClient carolOnB = login(b, "carol", true)) {
            assertThat(alice.command("GROUP CREATE team").code()).isEqualTo(250);
            for (String user : List.of("bob", "carol")) {
                assertThat(alice.command("GROUP INVITE team " + user).code()).isEqualTo(250);
            }
            assertThat(awaitEvent(carolOnB, "* GROUP ")).isEqualTo("* GROUP INVITED #team alice");
            assertThat(bobOnB.command("GROUP JOIN team").code()).isEqualTo(250);
            assertThat(carolOnB.command("GROUP JOIN team").code()).isEqualTo(250);
            // B caches the members of #team while bob sends to it.
            String one = bobOnB.command("CHAT #team one").param("id");
            awaitEvent(carolOnB, "* CHAT " + one + " ");

            assertThat(alice.command("GROUP KICK team carol").code()).isEqualTo(250);
            assertThat(awaitEvent(carolOnB, "* GROUP ")).isEqualTo("* GROUP KICKED #team alice");
            String two = bobOnB.command("CHAT #team two").param("id");
            // Carol is told nothing of it: the next thing she hears is what she is sent herself.
            assertThat(alice.command("GROUP INVITE team carol").code()).isEqualTo(250);
            assertThat(awaitEvent(carolOnB, "* ")).as("message %s must not reach carol", two)
                    .isEqualTo("* GROUP INVITED #team alice");
        }
    }
}
