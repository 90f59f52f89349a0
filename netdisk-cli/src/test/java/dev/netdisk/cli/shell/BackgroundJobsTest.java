package dev.netdisk.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Env;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.Settings;
import dev.netdisk.protocol.Md5;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background jobs in the shell (issue 20, point 5), on JLine's in-memory terminal against a real
 * server: {@code upload ... &} returns the prompt at once; {@code jobs}, {@code ls} and
 * {@code chat} run while the job runs; its end is one line above the prompt; {@code kill %N}
 * cancels one, {@code wait %N} waits. Each job is held back by a latch until the test lets it go,
 * so "while it runs" needs no timing; then it runs the real command on its own connection.
 */
class BackgroundJobsTest {

    private static final String PASSWORD = "correct-horse";

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private Session session;
    private StringWriter out;
    private StringWriter err;
    private Path work;
    private final List<CountDownLatch> gates = List.of(new CountDownLatch(1), new CountDownLatch(1),
            new CountDownLatch(1));
    private final AtomicInteger started = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        try (NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server)) {
            c.register("alice", PASSWORD);
            c.register("bob", PASSWORD);
        }
        work = Files.createDirectories(tmp.resolve("work"));
        Env env = new Env(Map.of(Env.CONFIG_DIR, tmp.resolve("config").toString(), Env.PASSWORD, PASSWORD),
                new ByteArrayInputStream(new byte[0]), new PrintStream(PrintStream.nullOutputStream()), true, false, 80,
                work, p -> null);
        out = new StringWriter();
        err = new StringWriter();
        session = new Session(env, new Settings("127.0.0.1", server.port(), "alice", null, false),
                new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @AfterEach
    void stop() {
        session.close();
        server.close();
    }

    /** Runs each job's line once its gate opens, as the shell would at once. */
    private int gatedRun(Session jobSession, List<String> words) {
        CountDownLatch gate = gates.get(started.getAndIncrement());
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return LineCommands.execute(jobSession, words);
    }

    private static void type(PipedOutputStream keys, String text) throws Exception {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void until(Supplier<String> text, String expected) {
        await().atMost(Duration.ofSeconds(20)).until(() -> text.get().contains(expected));
    }

    @Test
    void aJobRunsWhileTheShellListsAndChatsAndIsToldAboveThePrompt() throws Exception {
        byte[] big = new byte[24 * 1024 * 1024];
        new Random(3).nextBytes(big);
        Files.write(work.resolve("big.bin"), big);
        try (NetdiskClient bob = dev.netdisk.cli.client.TestConnections.connect(server);
             NetdiskClient alice = dev.netdisk.cli.client.TestConnections.connect(server)) {
            bob.login("bob", PASSWORD);
            alice.login("alice", PASSWORD);
            bob.social().friendAdd("alice");
            alice.social().friendAccept("bob");
            alice.files().makedir("docs", false);
        }
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream terminalIn = new PipedInputStream(keys, 64 * 1024);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Terminal terminal = TerminalBuilder.builder().system(false).streams(terminalIn, screen)
                .type("xterm").size(new Size(120, 40)).build();
        Supplier<String> shown = () -> screen.toString(StandardCharsets.UTF_8);
        CompletableFuture<Integer> shell = CompletableFuture.supplyAsync(() -> {
            try {
                return new Shell(session, this::gatedRun).interactive(terminal);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        until(shown, "alice@127.0.0.1:/> ");

        type(keys, "upload big.bin /docs/big.bin &\n");
        until(out::toString, "[1] upload big.bin /docs/big.bin &\n");
        // The job runs (held back); the prompt takes jobs, ls and chat meanwhile.
        type(keys, "jobs\n");
        until(out::toString, "[1] running  upload big.bin /docs/big.bin\n");
        type(keys, "ls\n");
        until(out::toString, "docs/");
        type(keys, "chat bob while the upload runs\n");
        try (NetdiskClient bob = dev.netdisk.cli.client.TestConnections.connect(server)) {
            bob.login("bob", PASSWORD);
            await().atMost(Duration.ofSeconds(20)).until(() -> bob.social().history("alice", 10, null).stream()
                    .anyMatch(m -> m.text().equals("while the upload runs")));
        }
        gates.get(0).countDown();
        until(shown, "[1] done: upload big.bin /docs/big.bin: uploaded /docs/big.bin (" + big.length + " bytes");
        try (NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server)) {
            c.login("alice", PASSWORD);
            var entry = c.files().stat("/docs/big.bin");
            assertThat(entry.size()).isEqualTo(big.length);
            assertThat(entry.md5()).isEqualTo(HexFormat.of().formatHex(Md5.newDigest().digest(big)));
        }

        // kill %2: cancelled before its transfer starts, so it stops at once; the shell goes on.
        type(keys, "download /docs/big.bin copy.bin &\n");
        until(out::toString, "[2] download /docs/big.bin copy.bin &\n");
        type(keys, "kill %2\n");
        gates.get(1).countDown();
        until(shown, "[2] killed: download /docs/big.bin copy.bin; a partial transfer is kept");
        assertThat(work.resolve("copy.bin")).doesNotExist();

        // wait %3 holds the prompt until the job ends.
        type(keys, "download /docs/big.bin copy.bin &\n");
        until(out::toString, "[3] download /docs/big.bin copy.bin &\n");
        int promptsBefore = shown.get().split("alice@127.0.0.1:/> ", -1).length;
        type(keys, "wait %3\n");
        gates.get(2).countDown();
        until(shown, "[3] done: download /docs/big.bin copy.bin");
        await().atMost(Duration.ofSeconds(20)).until(() -> shown.get().split("alice@127.0.0.1:/> ", -1).length
                > promptsBefore);
        assertThat(Files.readAllBytes(work.resolve("copy.bin"))).isEqualTo(big);
        type(keys, "jobs\n");
        type(keys, "exit\n");
        assertThat(shell.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(err.toString()).doesNotContain("netdisk: upload").doesNotContain("netdisk: download");
        terminal.close();
    }
}
