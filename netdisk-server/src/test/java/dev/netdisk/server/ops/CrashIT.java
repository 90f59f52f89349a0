package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.RobustnessTally;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the real server process while clients upload, move, copy and delete, three
 * times over the same data directory. After each restart: every visible file has its full content
 * and MD5, no blob file is left that nothing refers to, an upload cut by the crash resumes, and
 * SQLite's {@code PRAGMA integrity_check} passes.
 */
@Timeout(300)
@ExtendWith(RobustnessTally.class)
class CrashIT {

    private static final String PASSWORD = "correct-horse";
    private static final int CRASHES = 3;

    @TempDir
    Path dir;

    @Test
    void killMinusNineAtAnyMomentLosesNothingVisible() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcesses processes = new ServerProcesses(dir)) {
            ServerProcesses.Server server = start(processes);
            try (ProtocolClient c = ProtocolClient.connect(server.port())) {
                assertThat(c.command("REGISTER alice " + PASSWORD).code()).isEqualTo(200);
            }
            Random random = new Random(7);
            for (int crash = 0; crash < CRASHES; crash++) {
                RobustnessTally.tried(CrashIT.class, "kill -9 points under load", 1);
                // A large upload is half sent when the server dies: it must resume afterwards.
                // Half of it is over one whole encrypted part (crypt/DataKey): only whole parts are kept.
                byte[] big = bytes(random, (int) (2 * dev.netdisk.server.crypt.DataKey.PART_BYTES + (2 << 20)));
                int keptBefore = sendHalf(server.port(), "big" + crash + ".bin", big);
                assertThat(keptBefore).isPositive();

                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger operations = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(3);
                for (int t = 0; t < 3; t++) {
                    int worker = t;
                    int round = crash;
                    int port = server.port();
                    clients.execute(() -> churn(port, "w" + worker + "r" + round, worker + 31L * round, stop,
                            operations));
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> operations.get() >= 30);
                server.process().destroyForcibly(); // SIGKILL, mid-operation
                server.process().waitFor(30, TimeUnit.SECONDS);
                stop.set(true);
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

                server = start(processes);
                checkEveryVisibleFile(server.port());
                checkNoOrphanBlobs(data);
                checkIntegrity(data);
                resume(server.port(), "big" + crash + ".bin", big);
            }
            assertThat(ServerProcesses.stop(server)).isZero();
            checkIntegrity(data);
        }
    }

    private static ServerProcesses.Server start(ServerProcesses processes) {
        return processes.startForeground("--bind=127.0.0.1", "--port=0", "--data-dir=data",
                "--password-iterations=1000", "--log-level=warning");
    }

    private static ProtocolClient login(int port) throws IOException {
        ProtocolClient c = ProtocolClient.connect(port);
        assertThat(c.command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
        return c;
    }

    /** Sends the first half of {@code content} and waits until the server says how much it kept. */
    private static int sendHalf(int port, String name, byte[] content) throws Exception {
        try (ProtocolClient c = login(port)) {
            Reply ticket = c.command("UPLOAD " + name + " " + content.length + " " + md5(content));
            assertThat(ticket.code()).isEqualTo(350);
            try (ProtocolClient data = ProtocolClient.connect(port)) {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                data.sendRaw(Arrays.copyOf(content, content.length / 2));
                data.shutdownOutput();
                assertThat(data.isClosedByServer()).isTrue();
            }
            long[] offset = new long[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Reply again = c.command("UPLOAD " + name + " " + content.length + " " + md5(content));
                offset[0] = again.code() == 350 ? again.longParam("offset") : 0;
                return offset[0] > 0;
            });
            return (int) offset[0];
        }
    }

    private static void resume(int port, String name, byte[] content) throws Exception {
        try (ProtocolClient c = login(port)) {
            Reply ticket = c.command("UPLOAD " + name + " " + content.length + " " + md5(content));
            assertThat(ticket.code()).isEqualTo(350);
            long offset = ticket.longParam("offset");
            assertThat(offset).as("bytes kept across the crash").isPositive();
            try (ProtocolClient data = ProtocolClient.connect(port)) {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                data.sendRaw(Arrays.copyOfRange(content, (int) offset, content.length));
                Reply done = data.reply();
                assertThat(done.code()).as("%s", done).isEqualTo(226);
                assertThat(done.param("md5")).isEqualTo(md5(content));
            }
        }
    }

    /** One client's random work until told to stop; failures (the server dying) end it quietly. */
    private static void churn(int port, String prefix, long seed, AtomicBoolean stop, AtomicInteger operations) {
        Random random = new Random(seed);
        try (ProtocolClient c = login(port)) {
            c.command("MAKEDIR -p " + prefix);
            int n = 0;
            while (!stop.get()) {
                String name = prefix + "/f" + (n++);
                byte[] content = bytes(random, 1 + random.nextInt(256 << 10));
                Reply ticket = c.command("UPLOAD " + name + " " + content.length + " " + md5(content));
                if (ticket.code() == 350) {
                    try (ProtocolClient data = ProtocolClient.connect(port)) {
                        data.command("DATA " + ticket.param("ticket"));
                        data.sendRaw(content);
                        data.reply();
                    }
                }
                switch (random.nextInt(4)) {
                    case 0 -> c.command("MV " + name + " " + name + ".moved");
                    case 1 -> c.command("COPY " + name + " " + name + ".copy");
                    case 2 -> c.command("RM " + name);
                    default -> c.command("STAT " + name);
                }
                operations.incrementAndGet();
            }
        } catch (IOException | AssertionError | RuntimeException e) {
            // The server was killed under this client: exactly what the test does.
        }
    }

    /** Downloads every file in alice's tree and checks its bytes against its listed size and MD5. */
    private static void checkEveryVisibleFile(int port) throws Exception {
        try (ProtocolClient c = login(port)) {
            List<String> dirs = new ArrayList<>(List.of("/"));
            int files = 0;
            while (!dirs.isEmpty()) {
                String d = dirs.remove(dirs.size() - 1);
                Reply ls = c.command("LS " + Arguments.forceQuote(d));
                assertThat(ls.code()).as("LS %s: %s", d, ls).isEqualTo(212);
                for (String line : ls.lines().subList(0, ls.lines().size() - 1)) {
                    String[] f = line.split(" ", 5);
                    String path = (d.equals("/") ? "/" : d + "/") + f[4];
                    if (f[0].equals("d")) {
                        dirs.add(path);
                        continue;
                    }
                    files++;
                    Reply ticket = c.command("DOWNLOAD " + Arguments.forceQuote(path));
                    assertThat(ticket.code()).as("DOWNLOAD %s: %s", path, ticket).isEqualTo(350);
                    try (ProtocolClient data = ProtocolClient.connect(port)) {
                        assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                        MessageDigest digest = MessageDigest.getInstance("MD5");
                        data.readBytes(Long.parseLong(f[1]), digest);
                        assertThat(data.reply().code()).isEqualTo(226);
                        assertThat(HexFormat.of().formatHex(digest.digest())).as(path).isEqualTo(f[3]);
                    }
                }
            }
            assertThat(files).isPositive();
        }
    }

    /**
     * After the start-up sweep, every stored blob (a blob file, or a small file's content kept in
     * the database) is one that a file (live or trashed) refers to, and every file's blob is stored.
     */
    private static void checkNoOrphanBlobs(Path data) throws Exception {
        Set<String> referenced = new HashSet<>();
        Set<String> stored = new HashSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("netdisk.db"));
             Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT blob_id FROM nodes WHERE blob_id IS NOT NULL")) {
                while (rs.next()) {
                    referenced.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT blob_id FROM inline_blobs")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            files.filter(Files::isRegularFile).forEach(p -> stored.add(p.getFileName().toString()));
        }
        assertThat(stored).isSubsetOf(referenced);
        assertThat(referenced).isSubsetOf(stored);
    }

    private static void checkIntegrity(Path data) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("netdisk.db"));
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java SE platform", e);
        }
    }
}
