package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.app.ServerMain;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.store.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code keys rotate} beside servers on another machine (issue 18 with issue 21): on PostgreSQL a
 * server elsewhere keeps the master key in memory and would go on wrapping new files with the key
 * the rotation drops, so the rotation refuses while any server's heartbeat is live, and runs once
 * they are all stopped.
 */
@Timeout(120)
class PostgresKeyRotationTest {

    @TempDir
    Path dir;

    private String url;

    @AfterEach
    void drop() {
        if (url != null) {
            TestPostgres.drop(url);
        }
    }

    @Test
    void rotationRefusesWhileAServerRunsOnTheDatabaseAndRunsOnceItStopped() throws Exception {
        url = TestPostgres.freshDatabase();
        Path keyFile = dir.resolve("shared-master.json");
        NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(dir.resolve("server")).withDatabase(url)
                .withMasterKeyFile(keyFile));
        try (ProtocolClient c = ProtocolClient.connect(server.port())) {
            assertThat(c.command("REGISTER alice " + ServerTestSupport.PASSWORD).code()).isEqualTo(200);
            c.command("LOGIN alice " + ServerTestSupport.PASSWORD);
            assertThat(c.upload("/a.txt", "a".getBytes()).code()).isEqualTo(226);
        }
        byte[] before = Files.readAllBytes(keyFile);
        // The operator's machine: its own data directory, the same database and a copy of the key.
        Path admin = Files.createDirectories(dir.resolve("admin"));
        String[] rotate = {"keys", "rotate", "--data-dir=" + admin, "--database=" + url, "--master-key-file=" + keyFile};

        StringWriter err = new StringWriter();
        CommandLine cmd = ServerMain.commandLine();
        cmd.setErr(new PrintWriter(err));
        try {
            assertThat(cmd.execute(rotate)).isNotZero();
            assertThat(err.toString()).contains("1 server(s) run on this database", "stop them all first",
                    "nothing was changed");
            assertThat(Files.readAllBytes(keyFile)).isEqualTo(before);
        } finally {
            server.close();
        }

        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute(rotate)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("re-wrapped 1 data keys", "dropped master key");
        NetdiskServer again = NetdiskServer.start(ServerConfig.forTests(dir.resolve("server")).withDatabase(url)
                .withMasterKeyFile(keyFile));
        try (ProtocolClient c = ProtocolClient.connect(again.port())) {
            c.command("LOGIN alice " + ServerTestSupport.PASSWORD);
            assertThat(c.download("/a.txt")).isEqualTo("a".getBytes());
        } finally {
            again.close();
        }
        assertThat(MasterKey.load(keyFile).keyIds()).hasSize(1);
    }
}
