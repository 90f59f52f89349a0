package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.S3Fixture;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netdisk-server migrate} from a data directory populated through a real server (SQLite,
 * local blobs) into this JVM's embedded PostgreSQL and s3proxy, run as a real process: killed with
 * SIGKILL half-way through the contents, run again to the end; then a server on the PostgreSQL + S3
 * target serves every file with the same bytes, the trash, the share, the link and the chat history.
 */
class MigrateIT {

    private static final String PASSWORD = "password-1";
    private static final int MEDIUM_FILES = 30;
    /** The files over 64 KiB, live or trashed: their content is in blobs. */
    private static final int BLOBS = MEDIUM_FILES + 3;

    @TempDir
    Path dir;

    private String url;

    @AfterEach
    void dropDatabase() {
        if (url != null) {
            TestPostgres.drop(url);
        }
    }

    @Test
    void killedHalfWayAndRerunItMovesEverythingAndEveryFileDownloadsTheSame() throws Exception {
        Path data = dir.resolve("data");
        url = TestPostgres.emptyDatabase();
        String bucket = S3Fixture.shared().newBucket();
        List<String> launcher = List.of("env", "AWS_ACCESS_KEY_ID=" + System.getProperty("aws.accessKeyId"),
                "AWS_SECRET_ACCESS_KEY=" + System.getProperty("aws.secretAccessKey"));
        String[] migrate = {"migrate", "--data-dir=data", "--to-database=" + url, "--to-blob-store=" + bucket};
        Map<String, byte[]> files;
        String link;
        try (ServerProcesses processes = new ServerProcesses(dir)) {
            try (NetdiskServer source = NetdiskServer.start(ServerConfig.forTests(data))) {
                files = populate(source);
                link = links(source.port(), "alice").get(0);
                ServerProcesses.Result locked = processes.runWith(launcher, null, migrate);
                assertThat(locked.exitCode()).as(locked.toString()).isEqualTo(1);
                assertThat(locked.err()).contains("is in use by another netdisk-server").contains("stop the server");
            }

            List<String> command = new ArrayList<>(launcher);
            command.addAll(ServerProcesses.java(List.of(migrate)));
            Process run = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            List<String> seen = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.add(line);
                    if (line.startsWith("copied 1 of")) {
                        run.destroyForcibly(); // SIGKILL, with the contents half-way
                        break;
                    }
                }
            }
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).as("killed before the end").noneMatch(l -> l.startsWith("migrated"))
                    .anyMatch(l -> l.startsWith("copied 1 of"));
            try (Database target = Database.open(url, dir, 1, Map.of())) {
                long users = target.read(c -> {
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM users")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
                assertThat(users).as("no row before every content is there").isZero();
            }

            ServerProcesses.Result rerun = processes.runWith(launcher, null, migrate);
            assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
            System.out.println(rerun.out()); // the counts and the time, in the test's report
            assertThat(rerun.out()).contains("resuming the migration").contains("copied " + BLOBS + " of " + BLOBS + " files").contains(": 2 users, ")
                    .contains(" 1 shares, 1 links, 3 messages,").containsPattern("there before\\),")
                    .doesNotContain("0 there before)");

            assertThat(S3Fixture.shared().client().listMultipartUploads(b -> b.bucket(S3Fixture.bucketOf(bucket)))
                    .uploads()).as("no unfinished multipart upload left").isEmpty();

            ServerProcesses.Result again = processes.runWith(launcher, null, migrate);
            assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
            assertThat(again.err()).contains("already holds netdisk data");
        }

        Path targetDir = dir.resolve("target");
        Files.createDirectories(targetDir.resolve("keys"));
        Files.copy(data.resolve("keys/master.json"), targetDir.resolve("keys/master.json"));
        try (NetdiskServer target = NetdiskServer.start(ServerConfig.forTests(targetDir).withDatabase(url)
                .withBlobStore(bucket))) {
            try (ProtocolClient alice = login(target.port(), "alice")) {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    byte[] got = alice.download(e.getKey());
                    assertThat(Md5.hex(got)).as(e.getKey()).isEqualTo(Md5.hex(e.getValue()));
                    assertThat(got).as(e.getKey()).isEqualTo(e.getValue());
                }
                Reply trash = alice.command("TRASH LIST");
                assertThat(trash.lines()).anyMatch(l -> l.endsWith(" /docs/m0.bin")).anyMatch(l -> l.endsWith(" /old"));
                assertThat(alice.command("TRASH RESTORE " + trash.body().get(0).split(" ")[0]).code())
                        .isEqualTo(250);
                assertThat(alice.command("SHARE LINKS").lines()).anyMatch(l -> l.contains(link));
                assertThat(alice.command("HISTORY bob 10").lines()).anyMatch(l -> l.contains("hello bob"))
                        .anyMatch(l -> l.contains("third: grüße ☃"));
                assertThat(alice.upload("/after.txt", "new".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(226);
            }
            try (ProtocolClient bob = login(target.port(), "bob")) {
                assertThat(Md5.hex(bob.download("/shared/alice/pub/p0.bin")))
                        .isEqualTo(Md5.hex(files.get("/docs/pub/p0.bin")));
                assertThat(bob.command("FETCH " + link).code()).isEqualTo(350);
            }
        }
    }

    private static ProtocolClient login(int port, String user) throws Exception {
        ProtocolClient c = ProtocolClient.connect(port);
        assertThat(c.command("LOGIN " + user + " " + PASSWORD).code()).isEqualTo(230);
        return c;
    }

    private static List<String> links(int port, String user) throws Exception {
        try (ProtocolClient c = login(port, user)) {
            return c.command("SHARE LINKS").body().stream().map(l -> l.split(" ")[0]).toList();
        }
    }

    /**
     * Two users; directories; small (in the database), medium and one large (two parts) file;
     * a trashed file and a trashed directory; a share, a link and chat messages. Returns the live
     * files of alice by path.
     */
    private static Map<String, byte[]> populate(NetdiskServer server) throws Exception {
        server.users().register("alice", PASSWORD);
        server.users().register("bob", PASSWORD);
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(21);
        for (int i = 0; i < 5; i++) {
            files.put("/docs/s" + i + ".txt", bytes(random, 1 + random.nextInt(5000)));
        }
        for (int i = 0; i < MEDIUM_FILES; i++) {
            files.put("/docs/m" + i + ".bin", bytes(random, 70_000 + random.nextInt(60_000)));
        }
        files.put("/docs/pub/p0.bin", bytes(random, 200_000));
        files.put("/big.bin", bytes(random, (9 << 20) + 123));
        try (ProtocolClient alice = login(server.port(), "alice");
             ProtocolClient bob = login(server.port(), "bob")) {
            assertThat(alice.command("MAKEDIR -p /docs/pub").code()).isEqualTo(257);
            assertThat(alice.command("MAKEDIR -p /old/deeper").code()).isEqualTo(257);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                assertThat(alice.upload(e.getKey(), e.getValue()).code()).as(e.getKey()).isEqualTo(226);
            }
            assertThat(alice.upload("/old/deeper/gone.bin", bytes(random, 100_000)).code()).isEqualTo(226);
            assertThat(alice.command("RM -r /old").code()).isEqualTo(250);
            assertThat(alice.command("RM /docs/m0.bin").code()).isEqualTo(250);
            files.remove("/docs/m0.bin");
            assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
            assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
            assertThat(alice.command("SHARE /docs/pub WITH bob").code()).isEqualTo(250);
            assertThat(alice.command("SHARE LINK /docs/s0.txt").code()).isEqualTo(250);
            assertThat(alice.command("CHAT bob hello bob").code()).isEqualTo(250);
            assertThat(bob.command("CHAT alice hello alice").code()).isEqualTo(250);
            assertThat(alice.command("CHAT bob third: grüße ☃").code()).as("UTF-8 bytes, not characters, in the totals")
                    .isEqualTo(250);
        }
        return files;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
