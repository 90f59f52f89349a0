package dev.netdisk.server.ops;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Launches the built {@code netdisk-server.jar} as real processes, as a user would: a command that
 * runs to its end ({@link #run}) or a foreground server ({@link #startForeground}) that is stopped
 * with SIGTERM. Output goes to files (never pipes a child could block on).
 */
final class ServerProcesses implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("netdisk.server.jar", "target/netdisk-server.jar"));
    private static final Pattern LISTENING = Pattern.compile("netdisk-server listening on ([0-9.]+):(\\d+)");

    private final Path dir;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Process> started = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();

    ServerProcesses(Path dir) {
        this.dir = dir;
    }

    /** What a finished command did. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A foreground server process. */
    record Server(Process process, int port, Path out, Path err) {
        String output() {
            return read(out) + read(err);
        }
    }

    static List<String> java(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1"); // these processes live for seconds: start fast
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        cmd.addAll(args);
        return cmd;
    }

    /** Runs {@code netdisk-server args...} to its end (at most 60 s) with {@code stdin} as input. */
    Result runWithInput(String stdin, String... args) {
        return runWith(List.of(), stdin, args);
    }

    /** As above, the java command run through {@code launcher} (e.g. {@code bash -c 'umask 022; exec "$@"' -}). */
    Result runWith(List<String> launcher, String stdin, String... args) {
        int n = counter.incrementAndGet();
        Path out = dir.resolve("run" + n + ".out");
        Path err = dir.resolve("run" + n + ".err");
        Path in = dir.resolve("run" + n + ".in");
        try {
            Files.writeString(in, stdin == null ? "" : stdin);
            List<String> command = new ArrayList<>(launcher);
            command.addAll(java(List.of(args)));
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("netdisk-server " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Starts a foreground server and waits for its listening line. */
    Server startForeground(String... args) {
        return startForeground(List.of(), args);
    }

    /** As above, the java command run through {@code launcher} (e.g. {@code prlimit --nofile=200}). */
    Server startForeground(List<String> launcher, String... args) {
        int n = counter.incrementAndGet();
        Path out = dir.resolve("server" + n + ".out");
        Path err = dir.resolve("server" + n + ".err");
        try {
            List<String> command = new ArrayList<>(launcher);
            command.addAll(java(List.of(args)));
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            started.add(p);
            Matcher[] m = new Matcher[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!p.isAlive()) {
                    throw new AssertionError("server exited with " + p.exitValue() + ": " + read(out) + read(err));
                }
                m[0] = LISTENING.matcher(read(out));
                return m[0].find();
            });
            return new Server(p, Integer.parseInt(m[0].group(2)), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then waits for the exit code. */
    static int stop(Server server) throws InterruptedException {
        server.process().destroy();
        if (!server.process().waitFor(30, TimeUnit.SECONDS)) {
            server.process().destroyForcibly();
            throw new AssertionError("server did not stop in 30 s");
        }
        return server.process().exitValue();
    }

    /** Remembers a daemon's pid file so {@link #close} kills a daemon a failed test left behind. */
    void daemonPidFile(Path pidFile) {
        pidFiles.add(pidFile);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Path pidFile : pidFiles) {
            try {
                PidFile.read(pidFile).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException ignored) {
                // nothing to clean
            }
        }
    }
}
