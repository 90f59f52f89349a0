package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code netdisk bench}: every workload, tiny, against a real in-process server: the report's
 * shape, zero errors, and that it removes its files. Behaviour only, never timings.
 */
class BenchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private NetdiskServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A server with the limits of docs/PERFORMANCE.md's bench configuration. */
    private Cli benchServer() throws Exception {
        Limits open = Limits.defaults().withCounts(0, 0, 0, 0, 0).withRegistration(true, 0);
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")).withLimits(open));
        return new Cli(tmp.resolve("config"), Files.createDirectories(tmp.resolve("work")));
    }

    private Cli.Result bench(Cli cli, String... args) {
        List<String> all = new ArrayList<>(List.of("bench", "--host", "127.0.0.1", "--port",
                Integer.toString(server.port()), "--local-dir", tmp.toString()));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"login", "noop", "stat", "chat", "group-chat", "small-files"})
    void eachWorkloadRunsWithoutErrors(String workload) throws Exception {
        Cli.Result r = bench(benchServer(), workload, "--clients", "2", "--requests", "5");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString())
                .startsWith("====== " + workload + " ======\n")
                .contains("  5 requests in ", " by 2 clients, 0 errors\n")
                .containsPattern("throughput: [0-9.]+ ops/s, [0-9.]+ MiB/s\n")
                .containsPattern("latency \\(ms\\): p50 [0-9.]+  p90 [0-9.]+  p99 [0-9.]+  max [0-9.]+\n")
                .doesNotContain("error x");
        assertThat(r.err()).contains("bench: registered ").contains("bench: cleaned up ");
    }

    @Test
    void loginWithATokenAndLsOfADirectoryMadeWithCopy() throws Exception {
        Cli cli = benchServer();
        Cli.Result token = bench(cli, "login", "--token-login", "--clients", "2", "--requests", "5");
        assertThat(token.code()).as(token.toString()).isZero();
        assertThat(token.out()).contains("login: LOGIN TOKEN");

        Cli.Result ls = bench(cli, "ls", "--clients", "2", "--requests", "4", "--entries", "30");
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("30 entries per listing", "4 requests in", "0 errors", "entries per sec: ");
        assertThat(ls.err()).contains("made 30 entries with COPY");
    }

    @Test
    void uploadAndDownloadMoveTheBytesAndJsonSaysHowMany() throws Exception {
        Cli cli = benchServer();
        for (String workload : List.of("upload", "download")) {
            Cli.Result r = bench(cli, workload, "--clients", "2", "--requests", "3", "--size", "64K", "--json");
            assertThat(r.code()).as(r.toString()).isZero();
            JsonNode json = JSON.readTree(r.out());
            assertThat(json.get("workload").asText()).isEqualTo(workload);
            assertThat(json.get("ops").asLong()).isEqualTo(3);
            assertThat(json.get("errors").asLong()).isZero();
            assertThat(json.get("bytes").asLong()).isEqualTo(3 * 65536L);
            assertThat(json.get("mib_per_sec").isNumber()).isTrue();
            for (String p : List.of("p50", "p90", "p99", "max")) {
                assertThat(json.get("latency_ms").get(p).isNumber()).as(p).isTrue();
            }
        }
        // Its scratch files are gone, and so are the server-side ones (trash emptied).
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("netdisk-bench"));
        }
    }

    @Test
    void aWarmUpIsLeftOutOfTheCountsAndTheLatencies() throws Exception {
        Cli cli = benchServer();
        Cli.Result upload = bench(cli, "upload", "--clients", "2", "--warmup", "2", "--requests", "3", "--size", "64K",
                "--json");
        assertThat(upload.code()).as(upload.toString()).isZero();
        JsonNode json = JSON.readTree(upload.out());
        assertThat(json.get("ops").asLong()).isEqualTo(3);
        assertThat(json.get("bytes").asLong()).isEqualTo(3 * 65536L);

        // Threads share the warm-up's operations out on demand: the timed run's file names start
        // after all of them, so none is uploaded twice (a 521 each, before).
        Cli.Result small = bench(cli, "small-files", "--clients", "4", "--warmup", "5", "--requests", "20", "--json");
        assertThat(small.code()).as(small.toString()).isZero();
        assertThat(JSON.readTree(small.out()).get("errors").asLong()).isZero();

        // chat: a warm-up of rounds (one ping per pair), whose deliveries are not counted either.
        Cli.Result chat = bench(cli, "chat", "--clients", "4", "--warmup", "3", "--requests", "8", "--json");
        assertThat(chat.code()).as(chat.toString()).isZero();
        JsonNode report = JSON.readTree(chat.out());
        assertThat(report.get("ops").asLong()).isEqualTo(8);
        assertThat(report.get("errors").asLong()).isZero();
        assertThat(report.get("latency_ms").get("p50").asDouble()).isPositive();

        Cli.Result refused = bench(cli, "idle", "--clients", "2", "--warmup", "1");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--warmup");
    }

    @Test
    void groupChatReportsFanOutToEveryOtherMember() throws Exception {
        Cli.Result r = bench(benchServer(), "group-chat", "--clients", "4", "--requests", "6", "--senders", "2", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode extra = JSON.readTree(r.out()).get("extra");
        assertThat(extra.get("senders").asInt()).isEqualTo(2);
        assertThat(extra.get("recipients_per_message").asInt()).isEqualTo(3);
        assertThat(extra.get("deliveries_per_sec").isNumber()).isTrue();
    }

    @Test
    void chatReportsTheDeliveryOfEveryPingAndPong() throws Exception {
        Cli.Result r = bench(benchServer(), "chat", "--clients", "4", "--requests", "8", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode report = JSON.readTree(r.out());
        JsonNode extra = report.get("extra");
        assertThat(report.get("errors").asInt()).isZero();
        assertThat(extra.get("senders").asInt()).isEqualTo(2);
        assertThat(extra.get("refused").asInt()).isZero();
        assertThat(extra.get("delivery_ms_p99").asDouble()).isPositive();
        assertThat(extra.get("deliveries_per_sec").asDouble()).isPositive();
    }

    @Test
    void idleHoldsConnectionsAndReadsTheServersMemory() throws Exception {
        long pid = ProcessHandle.current().pid();  // the server runs in this JVM
        Cli.Result r = bench(benchServer(), "idle", "--clients", "3", "--duration", "0s",
                "--server-pid", Long.toString(pid));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("connections held: 3", "answered noop after hold: 3", "server rss before kib: ",
                "server rss growth per connection kib: ");
    }

    @Test
    void idleListenersSendTheHeartbeatAndTheServersCpuIsRead() throws Exception {
        Limits open = Limits.defaults().withCounts(0, 0, 0, 0, 0).withRegistration(true, 0);
        // A 3 s idle timeout: a heartbeat every second, and a connection missing it would be closed.
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")).withLimits(open.withTimeouts(
                java.time.Duration.ofSeconds(3), open.loginTimeout(), open.lineTimeout(), open.transferStallTimeout())));
        Cli cli = new Cli(tmp.resolve("config"), Files.createDirectories(tmp.resolve("work")));
        long pid = ProcessHandle.current().pid();  // the server runs in this JVM
        Cli.Result r = bench(cli, "idle", "--listen", "--clients", "3", "--duration", "5s",
                "--server-pid", Long.toString(pid), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode extra = JSON.readTree(r.out()).get("extra");
        assertThat(extra.get("heartbeat_seconds").asInt()).isEqualTo(1);
        assertThat(extra.get("heartbeats_sent").asInt()).as(r.out()).isBetween(9, 15);
        assertThat(extra.get("heartbeats_failed").asInt()).isZero();
        assertThat(extra.get("answered_noop_after_hold").asInt()).isEqualTo(3);
        assertThat(extra.get("server_cpu_percent_of_core").asDouble()).isNotNegative();
    }

    @Test
    void aServerLimitIsOneClearLine() throws Exception {
        Limits two = Limits.defaults().withCounts(0, 0, 2, 0, 0).withRegistration(true, 0);
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")).withLimits(two));
        Cli cli = new Cli(tmp.resolve("config"), Files.createDirectories(tmp.resolve("work")));

        Cli.Result r = bench(cli, "stat", "--clients", "3", "--requests", "5");

        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().filter(l -> l.startsWith("netdisk: bench: ")).toList()).singleElement()
                .asString().contains("too many sessions", "max-sessions-per-user = 0", "docs/PERFORMANCE.md");
    }

    @Test
    void anUnknownWorkloadIsAUsageError() throws Exception {
        Cli.Result r = bench(benchServer(), "nap");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(r.err()).contains("unknown workload: nap");
    }
}
