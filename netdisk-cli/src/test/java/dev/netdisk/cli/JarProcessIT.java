package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netdisk.cli.command.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Launches the built jars as real processes: {@code netdisk-server.jar} and {@code netdisk.jar}.
 * Run by failsafe in {@code mvn verify}, after {@code package} built the jars; anywhere else
 * (an IDE, {@code mvn test} on a clean tree) it is skipped by an assumption when a jar is missing.
 */
// Each test has its own directories and processes and mostly waits on them: they run side by side.
@Execution(ExecutionMode.CONCURRENT)
class JarProcessIT {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ,]*:(\\d+)");

    @TempDir
    Path tmp;

    private Path serverJar;
    private Path cliJar;
    private Process server;
    private int port;
    private Path dataDir;

    /** A finished client process. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        serverJar = jar("netdisk.server.jar", "../netdisk-server/target/netdisk-server.jar");
        cliJar = jar("netdisk.cli.jar", "target/netdisk.jar");
        assumeTrue(Files.isRegularFile(serverJar), "built server jar missing: " + serverJar);
        assumeTrue(Files.isRegularFile(cliJar), "built client jar missing: " + cliJar);

        dataDir = tmp.resolve("data");
        List<String> serverCommand = javaJar(serverJar);
        serverCommand.addAll(List.of("--bind", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
        server = new ProcessBuilder(serverCommand).redirectErrorStream(true).start();
        server.getOutputStream().close();
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
        }
        assertThat(port).as("server output:\n" + seen).isPositive();
        Thread drain = new Thread(() -> drain(lines), "server-output");
        drain.setDaemon(true);
        drain.start();

        Path pw = Files.writeString(tmp.resolve("password"), "correct-horse\n");
        assertThat(netdisk("--password-file", pw.toString(), "register", "alice").code()).isZero();
        Run login = netdisk("--password-file", pw.toString(), "login", "alice");
        assertThat(login.code()).as(login.toString()).isZero();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void uploadAndDownloadOf20MiBKeepTheMd5() throws Exception {
        Path local = randomFile(tmp.resolve("twenty.bin"), 20 * 1024 * 1024);
        Run up = netdisk("upload", local.toString(), "/twenty.bin");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.err()).isEmpty();  // stderr is not a terminal: no progress bar

        Path dir = Files.createDirectories(tmp.resolve("down"));
        Run down = netdisk("download", "/twenty.bin", dir.toString());
        assertThat(down.code()).as(down.toString()).isZero();
        assertThat(md5(dir.resolve("twenty.bin"))).isEqualTo(md5(local));
        assertThat(netdisk("stat", "--json", "/twenty.bin").out()).contains(md5(local));
    }

    @Test
    void ctrlCWhileStdinIsSpooledSaysCancelledOnceAndLeavesNoTemporaryFile() throws Exception {
        Started started = start("upload", "-", "/stream.bin");
        Process upload = started.process();
        upload.getOutputStream().write(new byte[64 * 1024]);
        upload.getOutputStream().flush();  // stdin stays open: the client waits in its spool loop
        Path spool = tmp.resolve("spool");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> bytesUnder(spool) >= 64 * 1024);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(upload.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        Run r = finish(started);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.CANCELLED.value());
        assertThat(r.err()).as(r.toString()).isEqualTo("netdisk: cancelled; run again to resume\n");
        try (java.util.stream.Stream<Path> left = Files.list(spool)) {
            assertThat(left).as("the spool file is deleted").isEmpty();
        }
    }

    @Test
    void anUploadKilledHalfWayResumes() throws Exception {
        // 80 MiB still to go when the kill is due (the partial file is looked at every 5 ms): ample, at three
        // eighths of the hashing, encrypting and sending that 256 MiB cost, alongside the other tests.
        long size = 96L * 1024 * 1024;
        Path local = randomFile(tmp.resolve("big.bin"), (int) size);
        Started started = start("upload", local.toString(), "/big.bin");
        Process upload = started.process();
        // Kill the client once the server holds part of the upload, but before it has all of it.
        Path partial = dataDir.resolve("partial");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> !upload.isAlive() || bytesUnder(partial) > 16L * 1024 * 1024);
        assertThat(upload.isAlive()).as("the upload finished before it could be killed").isTrue();
        upload.destroyForcibly();
        upload.waitFor(10, TimeUnit.SECONDS);

        Run stat = netdisk("stat", "/big.bin");
        assertThat(stat.code()).as("nothing is visible after a cut").isEqualTo(ExitCode.REFUSED.value());

        // The server notices the cut asynchronously: until then it answers 450 (exit code 6).
        Run again = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> netdisk("upload", local.toString(), "/big.bin"),
                        r -> r.code() != ExitCode.TRANSIENT.value());
        assertThat(again.code()).as(again.toString()).isZero();
        Matcher m = Pattern.compile("resuming at (\\d+) bytes").matcher(again.err());
        assertThat(m.find()).as(again.toString()).isTrue();
        long offset = Long.parseLong(m.group(1));
        assertThat(offset).isPositive().isLessThan(size);
        assertThat(netdisk("stat", "--json", "/big.bin").out()).contains(md5(local));
    }

    @Test
    void failuresExitWithTheirCodeAndOneLine() throws Exception {
        Run missing = netdisk("download", "/nope.bin", tmp.toString());
        assertThat(missing.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(missing.err().lines()).hasSize(1);
        assertThat(missing.err()).startsWith("netdisk: download: 550 ");

        Run usage = netdisk("upload");
        assertThat(usage.code()).isEqualTo(ExitCode.USAGE.value());

        Run refused = netdisk("--port", "1", "ls");
        assertThat(refused.code()).isEqualTo(ExitCode.CONNECTION.value());
        assertThat(refused.err()).isEqualTo("netdisk: ls: cannot connect to 127.0.0.1:1: Connection refused\n");
    }

    @Test
    void thePipedShellRunsWithoutTerminalWarnings() throws Exception {
        Started p = start();
        try (OutputStream in = p.process().getOutputStream()) {
            in.write("makedir piped\ncd piped\npwd\n".getBytes(StandardCharsets.UTF_8));
        }
        Run r = finish(p);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("/piped\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theLauncherRecordsAClassArchiveOnceThenMapsItAndSurvivesADamagedOne() throws Exception {
        Path script = Path.of("src/main/sh/netdisk").toAbsolutePath();
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isRegularFile(script), "needs bash and the source tree");
        Path cache = tmp.resolve("cache");

        // The first run records (even a failing one, whose exit code passes through), later ones map.
        Run bad = launcher(script, cache, "--no-such-option");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).startsWith("netdisk: unknown option --no-such-option").doesNotContain("cds");
        List<Path> archives;
        try (Stream<Path> files = Files.list(cache.resolve("netdisk"))) {
            archives = files.toList();
        }
        assertThat(archives).singleElement().satisfies(a -> assertThat(a.getFileName().toString()).matches("cds-\\d+\\.jsa"));
        Run mapped = launcher(script, cache, "--version");
        assertThat(mapped.code()).as(mapped.toString()).isZero();
        assertThat(mapped.out()).startsWith("netdisk ");
        assertThat(mapped.err()).isEmpty();

        // A damaged archive is the JVM's to ignore: same answer, nothing on stderr.
        Path archive = archives.get(0);
        archive.toFile().setWritable(true);
        Files.write(archive, new byte[4096]);
        Run damaged = launcher(script, cache, "--version");
        assertThat(damaged.code()).as(damaged.toString()).isZero();
        assertThat(damaged.out()).isEqualTo(mapped.out());
        assertThat(damaged.err()).isEmpty();
    }

    @Test
    void theLauncherRunsCommandsThatMoveNoFileBytesOnC1Alone() throws Exception {
        Path script = Path.of("src/main/sh/netdisk").toAbsolutePath();
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isRegularFile(script), "needs bash and the source tree");
        // A "JVM" that prints the arguments it was given, one a line.
        Path fake = tmp.resolve("fake-java");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        String c1 = "-XX:TieredStopAtLevel=1";

        assertThat(jvmArguments(script, fake, "ls", "/")).contains(c1);
        assertThat(jvmArguments(script, fake, "--host", "h", "-u", "alice", "--no-tls", "stat", "/x")).contains(c1);
        assertThat(jvmArguments(script, fake, "--port=2121", "chat", "bob", "hi")).contains(c1);
        // Transfers, the shell and batches keep the tiered JIT their hashing loops need.
        assertThat(jvmArguments(script, fake, "upload", "f", "/")).doesNotContain(c1);
        assertThat(jvmArguments(script, fake, "--host", "ls", "download", "/f")).doesNotContain(c1);
        assertThat(jvmArguments(script, fake, "-c", "ls; upload f /")).doesNotContain(c1);
        assertThat(jvmArguments(script, fake)).doesNotContain(c1).contains("-XX:Tier4InvocationThreshold=100000");
    }

    /** The arguments the launcher gives the JVM for {@code args}, with {@code fake} as the JVM and no class archive. */
    private List<String> jvmArguments(Path script, Path fake, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("NETDISK_"));
        pb.environment().put("NETDISK_JAR", cliJar.toString());
        pb.environment().put("NETDISK_CDS", "0");
        pb.environment().put("JAVA", fake.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    private Run launcher(Path script, Path cache, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out-", ".txt");
        Path err = Files.createTempFile(tmp, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NETDISK_"));
        pb.environment().put("NETDISK_JAR", cliJar.toString());
        pb.environment().put("JAVA", java());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("NETDISK_CONFIG_DIR", tmp.resolve("config").toString());
        Started p = new Started(pb.start(), out, err);
        p.process().getOutputStream().close();
        return finish(p);
    }

    /** A running client process and the files its output goes to. */
    record Started(Process process, Path out, Path err) {
    }

    private Run netdisk(String... args) throws Exception {
        Started p = start(args);
        p.process().getOutputStream().close();
        return finish(p);
    }

    private Started start(String... args) throws IOException {
        List<String> command = javaJar(cliJar);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out-", ".txt");
        Path err = Files.createTempFile(tmp, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NETDISK_"));
        pb.environment().put("NETDISK_HOST", "127.0.0.1");
        pb.environment().put("NETDISK_PORT", Integer.toString(port));
        pb.environment().put("NETDISK_CONFIG_DIR", tmp.resolve("config").toString());
        pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("spool")).toString());
        return new Started(pb.start(), out, err);
    }

    private Run finish(Started p) throws Exception {
        if (!p.process().waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.process().destroyForcibly();
            throw new AssertionError("netdisk did not finish within " + PROCESS_TIMEOUT);
        }
        return new Run(p.process().exitValue(), Files.readString(p.out()), Files.readString(p.err()));
    }

    /**
     * {@code java [options] -jar JAR}: the options of the test JVMs ({@code netdisk.test.jvm}, the pom's
     * {@code test.jvm}), which are about CPU, not behaviour.
     */
    private static List<String> javaJar(Path jar) {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED"));
        for (String option : System.getProperty("netdisk.test.jvm", "").split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar(String property, String fallback) {
        String p = System.getProperty(property);
        return Path.of(p != null ? p : fallback).toAbsolutePath();
    }

    private static Path randomFile(Path path, int size) throws IOException {
        Random random = new Random(size);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(chunk.length, size - done));
            }
        }
        return path;
    }

    private static String md5(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("MD5");
        byte[] buf = new byte[1024 * 1024];
        try (var in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return Hex.encodeHexString(digest.digest());
    }

    private static long bytesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // keep the server's pipe from filling up
            }
        } catch (IOException ignored) {
            // the server ended
        }
    }
}
