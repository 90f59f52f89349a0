package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.server.NetdiskServer;
import dev.netdisk.server.ServerConfig;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.RemotePath;
import java.nio.file.Files;
import java.nio.file.Path;
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
            server.services().users().register("alice", "password-1");
            try (ProtocolClient client = new ProtocolClient(server.port())) {
                client.command("LOGIN alice password-1");
                assertThat(client.upload("/good.txt", "good".getBytes())).startsWith("226");
                assertThat(client.upload("/bad.txt", "bad!".getBytes())).startsWith("226");
            }
            long alice = server.services().users().find("alice").orElseThrow().id();
            Node bad = server.services().tree().find(alice, RemotePath.resolve(RemotePath.ROOT, "/bad.txt")).orElseThrow();
            Files.writeString(server.services().blobs().blobPath(bad.blobId()), "rot!");

            Backup.Result result = Backup.backup(data, dir.resolve("backup"));

            assertThat(result.files()).isEqualTo(1);
            assertThat(result.problems()).singleElement().asString().contains(bad.blobId()).contains("does not match");
            assertThat(dir.resolve("backup").resolve(Backup.MANIFEST)).content().contains("complete=false");
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
        try (Stream<Path> files = Files.list(dir.resolve("new"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("netdisk.db", "lock");
        }
    }
}
