package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.server.RobustnessTally;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server out of file descriptors (issue 22, finding 1): a child server process started under a
 * low limit on open files ({@code prlimit}), flooded with connections past it. It must neither spin
 * nor flood its log, keep serving the connections it has, and serve a new user once the flood ends.
 */
@ExtendWith(RobustnessTally.class)
class DescriptorExhaustionIT {

    private static final String FAST_HASH = "--password-iterations=1000";
    private static final int LIMIT = 200;
    private static final Pattern LOWERED = Pattern.compile("max-connections lowered from 20000 to (\\d+)");

    @TempDir
    Path dir;

    private ServerProcesses processes;
    private final List<Socket> flood = new ArrayList<>();

    @BeforeEach
    void jarIsBuiltAndPrlimitExists() {
        assumeTrue(Files.isRegularFile(ServerProcesses.JAR), "run mvn package first: " + ServerProcesses.JAR);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is needed");
        processes = new ServerProcesses(dir);
    }

    @AfterEach
    void closeAll() {
        flood.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void maxConnectionsIsLoweredToTheDescriptorLimitAndAFloodIsRefusedQuietly() throws Exception {
        ServerProcesses.Server server = processes.startForeground(List.of("prlimit", "--nofile=" + LIMIT),
                "--port=0", "--bind=127.0.0.1", "--data-dir=data", FAST_HASH);
        Matcher lowered = LOWERED.matcher(server.output());
        assertThat(lowered.find()).as(server.output()).isTrue();
        int max = Integer.parseInt(lowered.group(1));
        assertThat(max).isBetween(1, LIMIT - 64);

        try (ProtocolClient alice = ProtocolClient.connect(server.port())) {
            assertThat(alice.command("REGISTER alice password-1").code()).isEqualTo(200);
            assertThat(alice.command("LOGIN alice password-1").code()).isEqualTo(230);
            for (int i = 0; i < LIMIT + 100; i++) {
                RobustnessTally.tried(DescriptorExhaustionIT.class, "connections past the descriptor limit", 1);
                flood.add(new Socket("127.0.0.1", server.port()));
            }
            // The connections past the limit are told so and closed; the others are greeted.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.output().contains("refused"));
            assertThat(alice.command("NOOP").code()).isEqualTo(200);
            assertThat(alice.command("PWD").code()).isEqualTo(257);
            long refusedLines = server.output().lines().filter(l -> l.contains("refused")).count();
            assertThat(refusedLines).as(server.output()).isLessThanOrEqualTo(3);
        }
        closeFlood();
        try (ProtocolClient bob = ProtocolClient.connect(server.port())) {
            assertThat(bob.command("REGISTER bob password-2").code()).isEqualTo(200);
            assertThat(bob.command("LOGIN bob password-2").code()).isEqualTo(230);
        }
        assertThat(server.output().length()).isLessThan(8_000);
    }

    @Test
    void runningOutOfDescriptorsPausesAcceptingWithoutSpinningAndRecovers() throws Exception {
        ServerProcesses.Server server = processes.startForeground(List.of("prlimit", "--nofile=" + LIMIT),
                "--port=0", "--bind=127.0.0.1", "--data-dir=data", FAST_HASH);
        long pid = server.process().pid();
        try (ProtocolClient alice = ProtocolClient.connect(server.port())) {
            assertThat(alice.command("REGISTER alice password-1").code()).isEqualTo(200);
            assertThat(alice.command("LOGIN alice password-1").code()).isEqualTo(230);
            // Something else in the process took the descriptors: only a few are left.
            prlimit(pid, openDescriptors(pid) + 5);
            for (int i = 0; i < 50; i++) {
                RobustnessTally.tried(DescriptorExhaustionIT.class, "connections past the descriptor limit", 1);
                flood.add(new Socket("127.0.0.1", server.port()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.output().contains("accept failed"));
            assertThat(alice.command("NOOP").code()).isEqualTo(200);
            assertThat(alice.command("PWD").code()).isEqualTo(257);
            // Before: a stack trace per turn of the selector, tens of MB a second.
            assertThat(server.output().length()).as("log size").isLessThan(8_000);
            assertThat(server.output().lines().filter(l -> l.contains("accept failed")).count()).isEqualTo(1);

            prlimit(pid, LIMIT);
            closeFlood();
            try (ProtocolClient bob = ProtocolClient.connect("127.0.0.1", server.port(), 30_000)) {
                assertThat(bob.command("REGISTER bob password-2").code()).isEqualTo(200);
            assertThat(bob.command("LOGIN bob password-2").code()).isEqualTo(230);
            }
            assertThat(alice.command("NOOP").code()).isEqualTo(200);
        }
        assertThat(server.output().length()).as("log size").isLessThan(8_000);
        assertThat(ServerProcesses.stop(server)).isZero();
    }

    private void closeFlood() throws IOException {
        for (Socket s : flood) {
            s.close();
        }
        flood.clear();
    }

    private static long openDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    private static void prlimit(long pid, long soft) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid=" + pid, "--nofile=" + soft + ":" + LIMIT)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
