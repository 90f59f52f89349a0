package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.S3Fixture;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code netdisk-server} processes (the built jar) on one PostgreSQL database (this JVM's
 * embedded one) and one S3 bucket (this JVM's s3proxy), each with its own data directory and port
 * and the same master key: one tree for clients of any server, chat and presence across servers,
 * a data connection on another server than its control connection, an upload resumed on another
 * server after a SIGKILL, and a quota filled from two servers at once holding exactly.
 *
 * <p>Clients speak the protocol in clear over loopback (allowed there by default), which is the
 * simplest; TLS is not what this tests. The servers are started once for the class; the tests
 * run in order, the SIGKILL last.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String PASSWORD = "cluster-password";
    /** A file kept inline in the database (under 64 KiB). */
    private static final int SMALL = 3_000;
    /** A file of two encrypted parts, so an S3 multipart upload. */
    private static final int MULTI_PART = (int) DataKey.PART_BYTES + 123_457;
    /**
     * The servers' upload lease ({@code upload-lease-seconds}), renewed every third of it: a killed
     * server's upload is locked for 6.7 to 10 s after the kill, ample time to see the lock first.
     */
    private static final int LEASE_SECONDS = 10;

    @TempDir
    static Path dir;

    private ServerProcesses processes;
    private final List<ServerProcesses.Server> servers = new ArrayList<>();
    private String url;
    private String bucket;

    @BeforeAll
    void startThreeServers() throws Exception {
        url = TestPostgres.freshDatabase();
        bucket = S3Fixture.shared().newBucket();
        processes = new ServerProcesses(dir);
        // A killed server's upload is taken over after its lease: a short one, so the test waits seconds, not 30.
        Files.writeString(dir.resolve("cluster.properties"), "upload-lease-seconds = " + LEASE_SECONDS + "\n");
        // The first start makes the master key; the others load the same file.
        for (int i = 1; i <= 3; i++) {
            Files.createDirectories(dir.resolve("data" + i));
            servers.add(processes.startForeground(awsCredentials(), "--config=cluster.properties", "--bind=127.0.0.1",
                    "--port=0", "--data-dir=data" + i, "--database=" + url, "--blob-store=" + bucket,
                    "--master-key-file=master.json", "--password-iterations=1000", "--log-level=warning"));
        }
        assertThat(dir.resolve("master.json")).exists();
    }

    @AfterAll
    void stopServers() throws Exception {
        try {
            for (ServerProcesses.Server s : servers) {
                if (s.process().isAlive()) {
                    assertThat(ServerProcesses.stop(s)).as(s.output()).isZero();
                }
            }
        } finally {
            if (processes != null) {
                processes.close();
            }
            for (ServerProcesses.Server s : servers) {
                s.process().waitFor(30, TimeUnit.SECONDS);
                // Warnings and worse only (--log-level=warning): kept in the failsafe report.
                System.out.println("--- server on port " + s.port() + "\n" + s.output());
            }
            if (url != null) {
                TestPostgres.drop(url);
            }
        }
    }

    @Test
    @Order(1)
    void clientsOnDifferentServersSeeOneTree() throws Exception {
        Random random = new Random(1);
        byte[] small = bytes(random, SMALL);
        byte[] big = bytes(random, MULTI_PART);
        try (ProtocolClient alice = register(1, "tree")) {
            assertThat(alice.command("MAKEDIR /docs").code()).isEqualTo(257);
            assertThat(alice.upload("/docs/small.txt", small).code()).isEqualTo(226);
            Reply stored = alice.upload("/docs/big.bin", big);
            assertThat(stored.code()).as("%s", stored).isEqualTo(226);
            assertThat(stored.param("md5")).isEqualTo(Md5.hex(big));
        }
        for (int server = 2; server <= 3; server++) {
            try (ProtocolClient alice = login(server, "tree")) {
                assertThat(alice.command("LS /docs").lines()).as("server %d", server)
                        .anyMatch(l -> l.endsWith("small.txt")).anyMatch(l -> l.endsWith("big.bin"));
                byte[] gotSmall = alice.download("/docs/small.txt");
                byte[] gotBig = alice.download("/docs/big.bin");
                assertThat(Md5.hex(gotSmall)).isEqualTo(Md5.hex(small));
                assertThat(Md5.hex(gotBig)).isEqualTo(Md5.hex(big));
                assertThat(gotSmall).isEqualTo(small);
                assertThat(gotBig).isEqualTo(big);
            }
        }
    }

    @Test
    @Order(2)
    void aChatAndPresenceCrossServers() throws Exception {
        try (ProtocolClient alice = register(1, "alice");
             ProtocolClient bob = register(2, "bob")) {
            assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
            assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
            assertThat(alice.command("LISTEN").code()).isEqualTo(250);
            try (ProtocolClient bobListening = login(3, "bob")) {
                assertThat(bobListening.command("LISTEN").code()).isEqualTo(250);
                awaitEvent(alice, e -> e.equals("* ONLINE bob"));

                assertThat(bob.command("CHAT alice hello from server 2").code()).isEqualTo(250);
                awaitEvent(alice, e -> e.startsWith("* CHAT ") && e.endsWith(" bob alice hello from server 2"));
                assertThat(alice.command("CHAT bob and back from server 1").code()).isEqualTo(250);
                awaitEvent(bobListening, e -> e.startsWith("* CHAT ") && e.endsWith(" alice bob and back from server 1"));
            }
            awaitEvent(alice, e -> e.equals("* OFFLINE bob"));
        }
    }

    @Test
    @Order(3)
    void aDataConnectionLandsOnAnotherServer() throws Exception {
        byte[] content = bytes(new Random(3), 300_000);
        try (ProtocolClient carol = register(1, "carol")) {
            Reply ticket = carol.command("UPLOAD /across.bin " + content.length + " " + Md5.hex(content));
            assertThat(ticket.code()).as("%s", ticket).isEqualTo(350);
            try (ProtocolClient data = connect(2)) {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                data.sendRaw(content);
                Reply done = data.reply();
                assertThat(done.code()).as("%s", done).isEqualTo(226);
                assertThat(done.param("md5")).isEqualTo(Md5.hex(content));
            }
        }
        try (ProtocolClient carol = login(3, "carol")) {
            Reply ticket = carol.command("DOWNLOAD /across.bin");
            assertThat(ticket.code()).as("%s", ticket).isEqualTo(350);
            try (ProtocolClient data = connect(1)) {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                data.readBytes(content.length, md5);
                assertThat(data.reply().code()).isEqualTo(226);
                assertThat(HexFormat.of().formatHex(md5.digest())).isEqualTo(Md5.hex(content));
            }
        }
    }

    @Test
    @Order(4)
    void racingToFillOneQuotaFromTwoServersOvershootsByZeroBytes() throws Exception {
        long quota = 1L << 20;
        register(1, "dave").close();
        ServerProcesses.Result set = processes.runWith(List.of(), null, "user", "quota", "dave", "1M",
                "--data-dir=data1", "--database=" + url);
        assertThat(set.exitCode()).as(set.toString()).isZero();

        int clients = 6;
        ConcurrentLinkedQueue<Integer> refusals = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Long>> stored = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int client = t;
            int server = 1 + t % 2;
            stored.add(pool.submit(() -> {
                Random random = new Random(client);
                long bytes = 0;
                try (ProtocolClient control = login(server, "dave")) {
                    go.await();
                    for (int i = 0; ; i++) {
                        // Small files (inline in the database) and ones in S3, mixed.
                        byte[] content = bytes(random, i % 3 == 2 ? 70_000 + random.nextInt(30_000)
                                : 1_000 + random.nextInt(20_000));
                        Reply done = control.upload("/c" + client + "-" + i + ".bin", content);
                        if (done.code() != 226) {
                            refusals.add(done.code());
                            return bytes;
                        }
                        bytes += content.length;
                    }
                }
            }));
        }
        go.countDown();
        long total = 0;
        for (Future<Long> f : stored) {
            total += f.get(150, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(refusals).hasSize(clients).containsOnly(552);
        assertThat(total).as("stored").isLessThanOrEqualTo(quota).isGreaterThan(quota - 100_000);
        for (int server = 1; server <= 3; server++) {
            try (ProtocolClient c = login(server, "dave")) {
                Reply q = c.command("QUOTA");
                assertThat(Long.parseLong(q.param("files"))).as("server %d: %s", server, q).isEqualTo(total);
                assertThat(Long.parseLong(q.param("uploads"))).isZero();
            }
        }
    }

    @Test
    @Order(5)
    void anUploadCutBySigkillResumesOnAnotherServer() throws Exception {
        // Cut after 20 MiB: two whole parts kept, the third and last one being filled.
        byte[] content = bytes(new Random(5), (int) (3 * DataKey.PART_BYTES) - 12_345);
        String md5 = Md5.hex(content);
        String upload = "UPLOAD /huge.bin " + content.length + " " + md5;
        ServerProcesses.Server victim = servers.get(2);
        try (ProtocolClient erin = register(3, "erin")) {
            Reply ticket = erin.command(upload);
            assertThat(ticket.code()).as("%s", ticket).isEqualTo(350);
            ProtocolClient data = connect(3);
            try {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                data.sendRaw(Arrays.copyOf(content, 20 << 20));
                // Two whole parts in S3 and recorded in the database, the third being filled.
                await().atMost(Duration.ofSeconds(60)).until(() -> keptParts() >= 2);
                victim.process().destroyForcibly(); // SIGKILL, mid-upload
                assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                data.close();
            }
        }

        try (ProtocolClient erin = login(1, "erin")) {
            Reply busy = erin.command(upload);
            assertThat(busy.code()).as("the dead server's lease still counts: %s", busy).isEqualTo(450);
            Reply[] ticket = new Reply[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                ticket[0] = erin.command(upload);
                return ticket[0].code() == 350;
            });
            long offset = ticket[0].longParam("offset");
            assertThat(offset).as("the parts kept by the killed server").isEqualTo(2 * DataKey.PART_BYTES);
            try (ProtocolClient data = connect(1)) {
                assertThat(data.command("DATA " + ticket[0].param("ticket")).code()).isEqualTo(150);
                data.sendRaw(Arrays.copyOfRange(content, (int) offset, content.length));
                Reply done = data.reply();
                assertThat(done.code()).as("%s", done).isEqualTo(226);
                assertThat(done.param("md5")).isEqualTo(md5);
            }
        }
        try (ProtocolClient erin = login(2, "erin")) {
            assertThat(Md5.hex(erin.download("/huge.bin"))).isEqualTo(md5);
        }
    }

    /** The parts recorded for the kept upload of /huge.bin. */
    private long keptParts() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(kept_parts), 0) FROM partial_uploads"
                     + " WHERE path = '/huge.bin'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads events until one matches (earlier ones, e.g. presence, are skipped). */
    private static String awaitEvent(ProtocolClient client, Predicate<String> wanted) {
        String[] seen = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> wanted.test(seen[0] = client.event()));
        return seen[0];
    }

    private static List<String> awsCredentials() {
        return List.of("env", "AWS_ACCESS_KEY_ID=" + System.getProperty("aws.accessKeyId"),
                "AWS_SECRET_ACCESS_KEY=" + System.getProperty("aws.secretAccessKey"));
    }

    private ProtocolClient connect(int server) throws IOException {
        return ProtocolClient.connect(servers.get(server - 1).port());
    }

    private ProtocolClient register(int server, String user) throws IOException {
        ProtocolClient c = connect(server);
        assertThat(c.command("REGISTER " + user + " " + PASSWORD).code()).isEqualTo(200);
        assertThat(c.command("LOGIN " + user + " " + PASSWORD).code()).isEqualTo(230);
        return c;
    }

    private ProtocolClient login(int server, String user) throws IOException {
        ProtocolClient c = connect(server);
        assertThat(c.command("LOGIN " + user + " " + PASSWORD).code()).isEqualTo(230);
        return c;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
