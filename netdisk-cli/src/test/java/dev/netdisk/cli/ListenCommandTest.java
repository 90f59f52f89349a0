package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code netdisk listen} against a real server: offline messages first, then events as they come, as JSON lines. */
class ListenCommandTest {

    private static final String PASSWORD = "correct-horse";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        cli = new Cli(tmp.resolve("config"), tmp).server(server.port()).env(Env.PASSWORD, PASSWORD);
        for (String user : new String[] {"alice", "bob"}) {
            assertThat(cli.run("register", user).code()).isZero();
            assertThat(cli.run("login", user).code()).isZero();
        }
        assertThat(cli.run("--user", "alice", "friend", "add", "bob").code()).isZero();
        assertThat(cli.run("--user", "bob", "friend", "accept", "alice").code()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void printsOfflineMessagesThenLiveEventsAsJsonLinesUntilTheConnectionEnds() throws Exception {
        assertThat(cli.run("--user", "alice", "chat", "bob", "while you were out").code()).isZero();

        StringWriter out = new StringWriter();
        NetdiskCommand root = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CommandLine cl = NetdiskMain.commandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(
                () -> cl.execute("--user", "bob", "listen", "--json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("while you were out"));
        assertThat(cli.run("--user", "alice", "chat", "bob", "and now live").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("and now live"));

        String[] lines = out.toString().split("\n");
        JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.get("type").asText()).isEqualTo("chat");
        assertThat(first.get("from").asText()).isEqualTo("alice");
        assertThat(first.get("to").asText()).isEqualTo("bob");
        assertThat(first.get("text").asText()).isEqualTo("while you were out");
        assertThat(first.get("id").asLong()).isPositive();

        // The server goes away: listen ends with the connection-failure exit code.
        server.close();
        assertThat(listening.get()).isEqualTo(ExitCode.CONNECTION.value());
        root.close();
    }
}
