package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.store.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore in-process; {@code ServerOperationsIT} does the same with real processes. */
class BackupTest {

    @TempDir
    Path dir;

    @Test
    void aDamagedBlobIsReportedAndTheBackupMarkedIncomplete() throws Exception {
        Path data = dir.resolve("data");
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            server.users().register("alice", "password-1");
            try (ProtocolClient client = ProtocolClient.connect(server.port())) {
                client.command("LOGIN alice password-1");
                assertThat(client.upload("/good.txt", "good".getBytes()).code()).isEqualTo(226);
                // Over ProtocolLimits.SMALL_FILE_BYTES: a blob file.
                assertThat(client.upload("/bad.bin", new byte[100_000]).code()).isEqualTo(226);
            }
            long alice = server.users().find("alice").orElseThrow().id();
            Node bad = server.tree().find(alice, RemotePath.resolve(RemotePath.ROOT, "/bad.bin")).orElseThrow();
            Files.writeString(((dev.netdisk.server.store.LocalBlobStore) server.blobs()).blobPath(bad.blobId()), "rot!");

            Backup.Result result = Backup.backup(data, dir.resolve("backup"));

            assertThat(result.files()).isEqualTo(1);
            assertThat(result.problems()).singleElement().asString().contains(bad.blobId()).contains("does not match");
            assertThat(dir.resolve("backup").resolve(Backup.MANIFEST)).content().contains("complete=false");
        }
    }

    @Test
    void aSmallFileKeptInTheDatabaseIsCheckedAndRestored() throws Exception {
        Path data = dir.resolve("data");
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            server.users().register("alice", "password-1");
            try (ProtocolClient client = ProtocolClient.connect(server.port())) {
                client.command("LOGIN alice password-1");
                assertThat(client.upload("/good.txt", "good".getBytes()).code()).isEqualTo(226);
                assertThat(client.upload("/bad.txt", "bad!".getBytes()).code()).isEqualTo(226);
            }
            long alice = server.users().find("alice").orElseThrow().id();
            Node bad = server.tree().find(alice, RemotePath.resolve(RemotePath.ROOT, "/bad.txt")).orElseThrow();
            server.database().transaction(c -> {
                try (var ps = c.prepareStatement("UPDATE inline_blobs SET content = x'726f7421' WHERE blob_id = ?")) {
                    ps.setString(1, bad.blobId());
                    return ps.executeUpdate();
                }
            });

            Backup.Result result = Backup.backup(data, dir.resolve("backup"));
            assertThat(result.files()).isEqualTo(1);
            assertThat(result.problems()).singleElement().asString().contains(bad.blobId())
                    .contains("(in the database) does not match");
        }
        Backup.Result restored = Backup.restore(dir.resolve("backup"), dir.resolve("restored"),
                MasterKey.defaultFile(dir.resolve("data")));
        assertThat(restored.files()).isEqualTo(1);
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(dir.resolve("restored")));
             ProtocolClient client = ProtocolClient.connect(server.port())) {
            client.command("LOGIN alice password-1");
            assertThat(client.command("STAT /good.txt").text()).contains(" 4 ");
        }
    }

    @Test
    void backupsTakenDuringUploadsAreConsistentAndRestoreWhole() throws Exception {
        Path data = dir.resolve("data");
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            server.users().register("alice", "password-1");
            AtomicInteger stored = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread uploader = new Thread(() -> {
                Random random = new Random(1);
                try (ProtocolClient client = ProtocolClient.connect(server.port())) {
                    client.command("LOGIN alice password-1");
                    while (!stop.get()) {
                        byte[] content = new byte[random.nextInt(200_000)];
                        random.nextBytes(content);
                        if (client.upload("/f" + stored.get() + ".bin", content).code() != 226) {
                            throw new AssertionError("upload failed");
                        }
                        stored.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            uploader.start();
            try {
                for (int i = 0; i < 3; i++) {
                    int before = stored.get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> stored.get() >= before + 5 || failure.get() != null);
                    int atLeast = stored.get();
                    Path backup = dir.resolve("backup" + i);
                    Backup.Result taken = Backup.backup(data, backup);
                    assertThat(taken.complete()).as(taken.problems().toString()).isTrue();
                    assertThat(taken.files()).isGreaterThanOrEqualTo(atLeast);
                    // restore checks every blob's size and MD5 against the restored database
                    Backup.Result restored = Backup.restore(backup, dir.resolve("restored" + i), MasterKey.defaultFile(data));
                    assertThat(restored.complete()).as(restored.problems().toString()).isTrue();
                    assertThat(restored.files()).isEqualTo(taken.files());
                }
            } finally {
                stop.set(true);
                uploader.join(30_000);
            }
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void copiesSharingOneBlobAndTrashedFilesAreBackedUpOnce() throws Exception {
        Path data = dir.resolve("data");
        byte[] content = "shared bytes".getBytes();
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            server.users().register("alice", "password-1");
            try (ProtocolClient client = ProtocolClient.connect(server.port())) {
                client.command("LOGIN alice password-1");
                assertThat(client.upload("/a.txt", content).code()).isEqualTo(226);
                assertThat(client.command("COPY /a.txt /b.txt").code() / 100).isEqualTo(2);
                assertThat(client.command("COPY /a.txt /c.txt").code() / 100).isEqualTo(2);
                assertThat(client.command("RM /c.txt").code() / 100).isEqualTo(2);
            }
            Backup.Result taken = Backup.backup(data, dir.resolve("backup"));
            assertThat(taken.problems()).isEmpty();
            assertThat(taken.files()).isEqualTo(3);
            assertThat(taken.blobs()).isEqualTo(1);
            assertThat(taken.bytes()).isEqualTo(content.length);
        }
        Backup.Result restored = Backup.restore(dir.resolve("backup"), dir.resolve("restored"),
                MasterKey.defaultFile(dir.resolve("data")));
        assertThat(restored.complete()).isTrue();
        assertThat(restored.files()).isEqualTo(3);
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(dir.resolve("restored")));
             ProtocolClient client = ProtocolClient.connect(server.port())) {
            client.command("LOGIN alice password-1");
            assertThat(client.download("/b.txt")).isEqualTo(content);
            assertThat(client.command("TRASH LIST").code() / 100).isEqualTo(2);
        }
    }

    @Test
    void restoreRefusesADirectoryInUseOrNotEmpty() throws Exception {
        Path data = dir.resolve("data");
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            assertThat(Backup.backup(data, dir.resolve("backup")).complete()).isTrue();
            assertThatThrownBy(() -> Backup.restore(dir.resolve("backup"), data)).hasMessageContaining("not empty");
        }
        assertThatThrownBy(() -> Backup.restore(dir.resolve("nothing"), dir.resolve("new")))
                .hasMessageContaining("not a netdisk backup");
        Backup.Result restored = Backup.restore(dir.resolve("backup"), dir.resolve("new"));
        assertThat(restored.complete()).isTrue();
        // A backup holds password hashes and everyone's files: as private as a data directory.
        for (Path p : new Path[] {dir.resolve("backup"), dir.resolve("new")}) {
            assertThat(Files.getPosixFilePermissions(p)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(p.resolve("netdisk.db")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        try (Stream<Path> files = Files.list(dir.resolve("new"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("netdisk.db", "lock");
        }
    }
}
