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
import java.util.List;
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
                () -> cl.execute("--user", "bob", "listen", "--json", "--no-reconnect"));

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

    /** Runs {@code netdisk --user bob listen ARGS} in the background, its stdout and stderr in the writers. */
    private CompletableFuture<Integer> listen(NetdiskCommand root, StringWriter out, StringWriter err, String... args) {
        CommandLine cl = NetdiskMain.commandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "--user";
        all[1] = "bob";
        all[2] = "listen";
        System.arraycopy(args, 0, all, 3, args.length);
        return CompletableFuture.supplyAsync(() -> cl.execute(all));
    }

    @Test
    void aCronStyleOneShotCommandLeavesTheBacklogForTheListener() throws Exception {
        assertThat(cli.run("--user", "alice", "chat", "bob", "kept for you").code()).isZero();
        Cli.Result cron = cli.run("--user", "bob", "-q", "ls", "/");
        assertThat(cron.code()).isZero();
        assertThat(cron.err()).isEmpty();
        assertThat(cli.run("--user", "bob", "unread").out()).isEqualTo("alice: 1 unread (history alice)\n");

        StringWriter out = new StringWriter();
        NetdiskCommand root = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> listening = listen(root, out, new StringWriter());
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("alice: kept for you"));
        // Shown by the listener: read, for every connection of bob's.
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("--user", "bob", "unread").out()
                .equals("no unread messages\n"));
        root.close();
        server.close();
        listening.cancel(true);
    }

    @Test
    void messagesPrintedAreReadInBatchesUnlessTheBotSaysNoMarkRead() throws Exception {
        assertThat(cli.run("--user", "alice", "group", "create", "team").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "invite", "team", "bob").code()).isZero();
        assertThat(cli.run("--user", "bob", "group", "join", "team").code()).isZero();

        // A bot: prints everything, marks nothing.
        StringWriter botOut = new StringWriter();
        NetdiskCommand botRoot = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> bot = listen(botRoot, botOut, new StringWriter(), "--json", "--no-mark-read");
        // listen prints nothing before it listens: wait until bob is online to send.
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("--user", "alice", "friend").out().contains("online"));
        assertThat(cli.run("--user", "alice", "chat", "bob", "ping").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> botOut.toString().contains("\"ping\""));
        assertThat(cli.run("--user", "alice", "chat", "#team", "to the team").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> botOut.toString().contains("\"to the team\""));
        assertThat(cli.run("--user", "bob", "unread").out()).contains("alice: 1 unread").contains("#team: 1 unread");

        // bob himself: what listen prints is read (batched: a READ per conversation per batch).
        StringWriter out = new StringWriter();
        NetdiskCommand root = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> listening = listen(root, out, new StringWriter());
        for (int i = 0; i < 10; i++) {  // within the chat burst (20)
            assertThat(cli.run("--user", "alice", "chat", i % 2 == 0 ? "bob" : "#team", "flood " + i).code()).isZero();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("flood 9"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("--user", "bob", "unread").out()
                .equals("no unread messages\n"));
        botRoot.close();
        root.close();
        server.close();
        bot.cancel(true);
        listening.cancel(true);
    }

    @Test
    void aListenerSurvivesAServerRestartWithNothingLostOrDoubled() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        NetdiskCommand root = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> listening = listen(root, out, err, "--json");
        assertThat(cli.run("--user", "alice", "chat", "bob", "before").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("\"before\""));

        int port = server.port();
        server.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains("was lost; reconnecting"));
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")).withPort(port));
        // Sent while bob's listener is away: kept, and delivered when it is back.
        assertThat(cli.run("--user", "alice", "chat", "bob", "during").code()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("\"during\""));
        assertThat(err.toString()).contains("reconnected to");
        assertThat(cli.run("--user", "alice", "chat", "bob", "after").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("\"after\""));

        List<String> texts = new java.util.ArrayList<>();
        for (String line : out.toString().split("\n")) {
            texts.add(JSON.readTree(line).get("text").asText());
        }
        assertThat(texts).containsExactly("before", "during", "after");
        assertThat(listening).isNotDone();
        root.close();
        server.close();
        listening.cancel(true);
    }

    @Test
    void aHeartbeatKeepsAnIdleListenerPastTheIdleTimeout() throws Exception {
        server.close();
        ServerConfig config = ServerConfig.forTests(tmp.resolve("server"));
        var l = config.limits();
        server = NetdiskServer.start(config.withLimits(
                l.withTimeouts(Duration.ofSeconds(2), l.loginTimeout(), l.lineTimeout(), l.transferStallTimeout())));
        cli.server(server.port());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        NetdiskCommand root = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> listening = listen(root, out, err);
        assertThat(cli.run("--user", "alice", "chat", "bob", "first").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("alice: first"));
        // Three idle timeouts pass: the heartbeat keeps the connection, nothing reconnects.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                .until(() -> !err.toString().contains("reconnect") && !listening.isDone());
        assertThat(cli.run("--user", "alice", "chat", "bob", "still here").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("alice: still here"));
        assertThat(err.toString()).doesNotContain("lost");
        root.close();
        server.close();
        listening.cancel(true);
    }

    @Test
    void aMarkerMovedElsewhereIsAJsonObjectForScriptsAndNothingForPeople() throws Exception {
        // A bot that leaves the markers alone, so the only READ is the one-shot's below.
        StringWriter json = new StringWriter();
        NetdiskCommand jsonRoot = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> jsonBot = listen(jsonRoot, json, new StringWriter(), "--json", "--no-mark-read");
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("--user", "alice", "friend").out().contains("online"));
        assertThat(cli.run("--user", "alice", "chat", "bob", "ping").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> json.toString().contains("\"ping\""));
        long id = JSON.readTree(json.toString().split("\n")[0]).get("id").asLong();

        // history on another connection shows the message, so reads it: the listener is told.
        assertThat(cli.run("--user", "bob", "history", "alice").out()).contains("ping");
        await().atMost(Duration.ofSeconds(20)).until(() -> json.toString().contains("\"type\":\"read\""));
        JsonNode read = JSON.readTree(json.toString().split("\n")[1]);
        assertThat(read.get("conversation").asText()).isEqualTo("alice");
        assertThat(read.get("read").asLong()).isEqualTo(id);
        jsonRoot.close();
        jsonBot.cancel(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("--user", "alice", "friend").out().contains("offline"));

        // Plain listen prints nothing for it: events come in order, so the next message follows at once.
        StringWriter plain = new StringWriter();
        NetdiskCommand plainRoot = new NetdiskCommand(cli.environment(new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> plainBot = listen(plainRoot, plain, new StringWriter(), "--no-mark-read");
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("--user", "alice", "friend").out().contains("online"));
        assertThat(cli.run("--user", "alice", "chat", "bob", "pong").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> plain.toString().contains("alice: pong"));
        assertThat(cli.run("--user", "bob", "history", "alice").out()).contains("pong");
        assertThat(cli.run("--user", "alice", "chat", "bob", "again").code()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> plain.toString().contains("alice: again"));
        String[] lines = plain.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).endsWith("alice: pong");
        assertThat(lines[1]).endsWith("alice: again");
        plainRoot.close();
        server.close();
        plainBot.cancel(true);
    }
}
