package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netdisk.protocol.ProtocolClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code netdisk-server.jar} as a real process in the foreground: it says where it
 * listens, serves, and stops with exit code 0 on SIGTERM. Runs under failsafe, after the jar is
 * built ({@code mvn verify}); skipped when run another way without the jar. Exit codes 1 and 2 and daemon mode are {@code ops.ServerOperationsIT}'s.
 */
@Timeout(60)
class ServerProcessIT {

    private static final Path JAR = Path.of("target", "netdisk-server.jar");
    private static final Pattern LISTENING = Pattern.compile("netdisk-server listening on 127\\.0\\.0\\.1:(\\d+), TLS certificate SHA256:[0-9a-f]{64}, database SQLite");

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void needsTheJar() {
        assumeTrue(Files.isRegularFile(JAR), "run mvn package first: " + JAR.toAbsolutePath() + " is missing");
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        // stderr to a file: a pipe nobody reads could fill with log lines and stall the server
        Process process = new ProcessBuilder(command)
                .redirectError(logDir.resolve("stderr-" + processes.size() + ".txt").toFile())
                .start();
        processes.add(process);
        return process;
    }

    private String stderr(Process process) throws IOException {
        return Files.readString(logDir.resolve("stderr-" + processes.indexOf(process) + ".txt"));
    }

    @Test
    void servesAndStopsWithExitCodeZeroOnSigterm() throws Exception {
        Process process = launch("--bind", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).isNotNull();
        Matcher m = LISTENING.matcher(first);
        assertThat(m.matches()).as("first line: %s", first).isTrue();
        int port = Integer.parseInt(m.group(1));

        try (ProtocolClient c = ProtocolClient.connect(port)) {
            assertThat(c.greeting()).endsWith(" ready (protocol 1)");
            assertThat(c.command("REGISTER alice correct-horse").code()).isEqualTo(200);
            assertThat(c.command("LOGIN alice correct-horse").code()).isEqualTo(230);
            assertThat(c.command("MAKEDIR docs").code()).isEqualTo(257);

            process.destroy();   // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(c.reply()).hasToString("421 server shutting down");
        }
        assertThat(stderr(process)).contains("netdisk-server: stopping", "netdisk-server: stopped");
        assertThat(dataDir.resolve("netdisk.db")).exists();
    }
}
