package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live counters, read the way {@code status} reads them: over the admin socket. */
class ServerStatsTest {

    @TempDir
    Path dir;

    @Test
    void countsConnectionsUsersTransfersAndBytes() throws Exception {
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(dir))) {
            server.users().register("alice", "password-1");
            Path socket = dir.resolve(AdminSocket.FILE_NAME);
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            Map<String, String> idle = AdminSocket.query(dir);
            assertThat(idle).containsEntry("pid", Long.toString(ProcessHandle.current().pid()))
                    .containsEntry("connections", "0").containsEntry("users_online", "0")
                    .containsEntry("transfers_in_flight", "0").containsEntry("bytes_in", "0");

            byte[] content = new byte[300_000];
            try (ProtocolClient client = ProtocolClient.connect(server.port())) {
                assertThat(client.command("LOGIN alice password-1").code()).isEqualTo(230);
                Map<String, String> busy = AdminSocket.query(dir);
                assertThat(busy).containsEntry("connections", "1").containsEntry("users_online", "1");
                assertThat(client.upload("/f.bin", content).code()).isEqualTo(226);
                assertThat(client.download("/f.bin")).hasSize(content.length);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, String> after = AdminSocket.query(dir);
                assertThat(after).containsEntry("connections", "0").containsEntry("users_online", "0")
                        .containsEntry("transfers_in_flight", "0").containsEntry("connections_total", "3");
                assertThat(Long.parseLong(after.get("bytes_in"))).isGreaterThan(content.length);
                assertThat(Long.parseLong(after.get("bytes_out"))).isGreaterThan(content.length);
            });
        }
        assertThat(dir.resolve(AdminSocket.FILE_NAME)).doesNotExist();
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        try (NetdiskServer first = NetdiskServer.start(ServerConfig.forTests(dir))) {
            assertThatThrownBy(() -> NetdiskServer.start(ServerConfig.forTests(dir)))
                    .isInstanceOf(DataDirLock.LockedException.class);
            assertThat(first.port()).isPositive();
        }
        NetdiskServer.start(ServerConfig.forTests(dir)).close();
    }
}
