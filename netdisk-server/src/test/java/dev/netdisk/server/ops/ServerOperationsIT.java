package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The server's operations with the built jar launched as real processes: daemon start, status and
 * stop; refusing a taken port and a data directory in use; the configuration file; administration
 * commands against a running server; backup while it runs, and restore.
 */
// Each test has its own directories and processes and mostly waits on them: they run side by side.
@Execution(ExecutionMode.CONCURRENT)
class ServerOperationsIT {

    /** Cheap password hashing: these tests add and log in users many times. */
    private static final String FAST_HASH = "--password-iterations=1000";

    @TempDir
    Path dir;

    private ServerProcesses processes;

    @BeforeEach
    void jarIsBuilt() {
        assumeTrue(Files.isRegularFile(ServerProcesses.JAR), "run mvn package first: " + ServerProcesses.JAR);
        processes = new ServerProcesses(dir);
    }

    @AfterEach
    void killLeftovers() {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void daemonStartsOnlyOnceListeningReportsStatusAndStopsGracefully() throws Exception {
        Path pidFile = dir.resolve("run/netdisk.pid");
        Path logFile = dir.resolve("log/netdisk.log");
        processes.daemonPidFile(pidFile);

        ServerProcesses.Result started = processes.run("--daemon", "--port=0", "--bind=127.0.0.1", "--data-dir=data",
                "--pid-file=" + pidFile, "--log-file=" + logFile, FAST_HASH);

        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.out()).containsPattern("netdisk-server listening on 127\\.0\\.0\\.1:\\d+");
        long pid = PidFile.read(pidFile).orElseThrow();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        int port = Integer.parseInt(started.out().replaceAll("(?s).*listening on 127\\.0\\.0\\.1:(\\d+).*", "$1"));

        try (ProtocolClient client = ProtocolClient.connect(port)) {
            assertThat(client.command("NOOP").code()).isEqualTo(200);
            ServerProcesses.Result status = processes.run("status", "--pid-file=" + pidFile, "--data-dir=data");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            Map<String, String> stats = keyValues(status.out());
            assertThat(stats.get("database")).startsWith("SQLite ").endsWith("netdisk.db");
            assertThat(status.out()).contains("netdisk-server is running (pid " + pid + ")");
            assertThat(stats).containsEntry("connections", "1").containsEntry("users_online", "0")
                    .containsEntry("listening", "127.0.0.1:" + port)
                    .containsEntry("transfers_in_flight", "0").containsKeys("bytes_in", "bytes_out");
            assertThat(Long.parseLong(stats.get("bytes_in"))).isPositive();
        }

        ServerProcesses.Result stopped = processes.run("stop", "--pid-file=" + pidFile);
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(pidFile).doesNotExist();
        assertThat(Files.readString(logFile)).contains("netdisk-server: stopped");

        ServerProcesses.Result status = processes.run("status", "--pid-file=" + pidFile);
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.out()).contains("not running");
    }

    @Test
    void daemonRefusesATakenPortWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Path pidFile = dir.resolve("netdisk.pid");
            processes.daemonPidFile(pidFile);

            ServerProcesses.Result r = processes.run("--daemon", "--bind=127.0.0.1", "--port=" + taken.getLocalPort(),
                    "--data-dir=data", "--pid-file=" + pidFile, "--log-file=netdisk.log", FAST_HASH);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("Address already in use");
            assertThat(pidFile).doesNotExist();
        }
    }

    @Test
    void daemonReportsAnUnusableDataDirectory() throws Exception {
        // A regular file where the directory should be: fails for root too, unlike a chmod.
        Files.writeString(dir.resolve("not-a-dir"), "x");
        Path pidFile = dir.resolve("netdisk.pid");
        processes.daemonPidFile(pidFile);

        ServerProcesses.Result r = processes.run("--daemon", "--bind=127.0.0.1", "--port=0", "--data-dir=not-a-dir",
                "--pid-file=" + pidFile, "--log-file=netdisk.log");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("data directory " + dir.resolve("not-a-dir") + " is unusable");
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        ServerProcesses.Server first = processes.startForeground("--port=0", "--bind=127.0.0.1", "--data-dir=data", FAST_HASH);

        ServerProcesses.Result foreground = processes.run("--port=0", "--bind=127.0.0.1", "--data-dir=data");
        assertThat(foreground.exitCode()).as(foreground.toString()).isEqualTo(1);
        assertThat(foreground.err()).contains("is in use by another netdisk-server (pid " + first.process().pid() + ")");

        Path pidFile = dir.resolve("second.pid");
        processes.daemonPidFile(pidFile);
        ServerProcesses.Result daemon = processes.run("--daemon", "--port=0", "--bind=127.0.0.1", "--data-dir=data",
                "--pid-file=" + pidFile, "--log-file=second.log");
        assertThat(daemon.exitCode()).as(daemon.toString()).isEqualTo(1);
        assertThat(daemon.err()).contains("is in use by another netdisk-server");

        assertThat(ServerProcesses.stop(first)).isZero();
        // The lock went with the process: the directory is free again.
        ServerProcesses.Server again = processes.startForeground("--port=0", "--bind=127.0.0.1", "--data-dir=data");
        assertThat(ServerProcesses.stop(again)).isZero();
    }

    @Test
    void configFileSetsEveryOptionAndTheCommandLineWins() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path config = etc.resolve("netdisk-server.properties");
        Files.writeString(config, String.join("\n",
                "# a comment",
                "bind = 127.0.0.1",
                "port = " + port,
                "data-dir = ../var/data",
                "token-ttl-days = 7",
                "ticket-ttl-seconds = 30",
                "partial-ttl-hours = 12",
                "password-iterations = 1000",
                "workers = 2",
                "log-level = debug",
                "log-file = ../var/log/netdisk.log",
                "registration = closed",
                ""));

        ServerProcesses.Server fromFile = processes.startForeground("--config=" + config);
        assertThat(fromFile.port()).isEqualTo(port);
        assertThat(ServerProcesses.read(fromFile.out())).contains("listening on 127.0.0.1:" + port);
        // Relative paths in the file are relative to the file, not to the working directory.
        assertThat(dir.resolve("var/data/netdisk.db")).exists();
        try (ProtocolClient client = ProtocolClient.connect(port)) {
            assertThat(client.command("REGISTER bob password-1").code()).isEqualTo(550);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(dir.resolve("var/log/netdisk.log"))).contains("DEBUG", "opened", "closed"));
        assertThat(ServerProcesses.stop(fromFile)).isZero();

        ServerProcesses.Server overridden = processes.startForeground("--config=" + config, "--port=0",
                "--log-level=info");
        assertThat(overridden.port()).isNotEqualTo(port);
        assertThat(ServerProcesses.stop(overridden)).isZero();
    }

    @Test
    void anUnknownKeyOrABadValueStopsTheStartNamingKeyAndFile() throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "prot = 2121\n");
        ServerProcesses.Result unknown = processes.run("--config=" + config);
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("'prot'").contains(config.toString());

        Files.writeString(config, "port = twenty\n");
        ServerProcesses.Result bad = processes.run("--config=" + config);
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("'port'").contains("'twenty'").contains(config.toString());

        Files.writeString(config, "port = 70000\n");
        ServerProcesses.Result range = processes.run("--config=" + config);
        assertThat(range.exitCode()).as(range.toString()).isEqualTo(2);
        assertThat(range.err()).contains("'port'").contains("0-65535").contains(config.toString());
        assertThat(dir.resolve("netdisk-data")).doesNotExist();
    }

    @Test
    void userAdministrationWorksWhileTheServerRuns() throws Exception {
        ServerProcesses.Server server = processes.startForeground("--port=0", "--bind=127.0.0.1", "--data-dir=data",
                FAST_HASH);
        Path config = dir.resolve("admin.properties");
        Files.writeString(config, "data-dir = data\npassword-iterations = 1000\n");

        ServerProcesses.Result added = processes.runWithInput("first-password\n", "user", "add", "Alice", "--config=" + config);
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("user alice added");
        assertThat(processes.runWithInput("first-password\n", "user", "add", "alice", "--config=" + config).exitCode()).isEqualTo(1);

        try (ProtocolClient client = ProtocolClient.connect(server.port())) {
            assertThat(client.command("LOGIN alice first-password").code()).isEqualTo(230);
            ServerProcesses.Result status = processes.run("status", "--data-dir=data");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(keyValues(status.out())).containsEntry("users_online", "1").containsEntry("connections", "1");

            ServerProcesses.Result sessions = processes.run("user", "sessions", "alice", "--data-dir=data");
            assertThat(sessions.out().lines().filter(l -> l.startsWith("alice"))).hasSize(1);
        }

        ServerProcesses.Result list = processes.run("user", "list", "--data-dir=data");
        assertThat(list.out()).containsPattern("alice\\s+enabled\\s+default\\s+0\\s+0\\s+1");

        try (ProtocolClient logged = ProtocolClient.connect(server.port())) {
            assertThat(logged.command("LOGIN alice first-password").code()).isEqualTo(230);
            ServerProcesses.Result disable = processes.run("user", "disable", "alice", "--data-dir=data");
            assertThat(disable.exitCode()).as(disable.toString()).isZero();
            assertThat(disable.out()).contains("user alice disabled; 1 connection(s) closed");
            // The live connection is cut at once, with a reason, not at its next command.
            assertThat(logged.reply()).isEqualTo(Reply.of(421, "account disabled by the administrator"));
        }
        try (ProtocolClient client = ProtocolClient.connect(server.port())) {
            assertThat(client.command("LOGIN alice first-password").code()).isEqualTo(530);
        }
        assertThat(processes.run("user", "enable", "alice", "--data-dir=data").exitCode()).isZero();

        Path passwordFile = dir.resolve("new-password");
        Files.writeString(passwordFile, "second-password\n");
        ServerProcesses.Result passwd = processes.run("user", "passwd", "alice", "--password-file=" + passwordFile,
                "--config=" + config);
        assertThat(passwd.exitCode()).as(passwd.toString()).isZero();
        try (ProtocolClient client = ProtocolClient.connect(server.port())) {
            assertThat(client.command("LOGIN alice first-password").code()).isEqualTo(530);
            assertThat(client.command("LOGIN alice second-password").code()).isEqualTo(230);
        }

        String token;
        try (ProtocolClient client = ProtocolClient.connect(server.port())) {
            token = client.command("LOGIN alice second-password").param("token");
        }
        ServerProcesses.Result revoked = processes.run("user", "sessions", "alice", "--revoke", "--data-dir=data");
        assertThat(revoked.out()).contains("2 session(s) of alice revoked");
        try (ProtocolClient client = ProtocolClient.connect(server.port())) {
            assertThat(client.command("LOGIN TOKEN " + token).code()).isEqualTo(530);
        }

        ServerProcesses.Result quota = processes.run("user", "quota", "alice", "2G", "--data-dir=data");
        assertThat(quota.out()).contains("quota=2147483648");
        assertThat(processes.run("user", "quota", "alice", "--data-dir=data").out()).contains("quota=2147483648");
        assertThat(processes.run("user", "quota", "alice", "default", "--config=" + config).out())
                .contains("quota=10737418240 (the server's default)");

        ServerProcesses.Result tooShort = processes.runWithInput("short\n", "user", "add", "bob", "--data-dir=data");
        assertThat(tooShort.exitCode()).isEqualTo(1);
        assertThat(tooShort.err()).contains("8 to 1024 bytes");

        assertThat(ServerProcesses.stop(server)).isZero();
        // Logins and failures are logged with the name and address, never with a password.
        assertThat(server.output()).contains("login alice from /127.0.0.1:").contains("login failed for alice from")
                .doesNotContain("first-password").doesNotContain("second-password");
    }

    @Test
    void aBackupTakenWhileTheServerRunsRestoresEveryFileWithItsMd5() throws Exception {
        // An account before the first start creates the data directory.
        Path config = writeConfig("password-iterations=1000");
        ServerProcesses.Result first = processes.runWithInput("password-1\n", "user", "add", "alice", "--data-dir=data",
                "--config=" + config);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.err()).contains("creating a new database");
        ServerProcesses.Server server = processes.startForeground("--port=0", "--bind=127.0.0.1", "--data-dir=data",
                FAST_HASH);
        assertThat(processes.runWithInput("password-2\n", "user", "add", "bob", "--data-dir=data",
                "--config=" + config).exitCode()).isZero();

        Random random = new Random(42);
        Map<String, byte[]> aliceFiles = new LinkedHashMap<>();
        aliceFiles.put("/a.txt", "hello".getBytes());
        aliceFiles.put("/docs/big.bin", bytes(random, 3 * 1024 * 1024 + 17));
        aliceFiles.put("/docs/deeper/small.bin", bytes(random, 1000));
        Map<String, byte[]> bobFiles = Map.of("/b.bin", bytes(random, 200_000));
        try (ProtocolClient alice = ProtocolClient.connect(server.port());
             ProtocolClient bob = ProtocolClient.connect(server.port())) {
            assertThat(alice.command("LOGIN alice password-1").code()).isEqualTo(230);
            assertThat(alice.command("MAKEDIR -p /docs/deeper").code()).isEqualTo(257);
            for (var e : aliceFiles.entrySet()) {
                assertThat(alice.upload(e.getKey(), e.getValue()).code()).isEqualTo(226);
            }
            assertThat(bob.command("LOGIN bob password-2").code()).isEqualTo(230);
            for (var e : bobFiles.entrySet()) {
                assertThat(bob.upload(e.getKey(), e.getValue()).code()).isEqualTo(226);
            }
        }

        ServerProcesses.Result backup = processes.run("backup", "--to=backup", "--data-dir=data");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        assertThat(backup.out()).contains("4 files");
        assertThat(dir.resolve("backup/backup.properties")).content().contains("complete=true");
        assertThat(processes.run("backup", "--to=backup", "--data-dir=data").err()).contains("not empty");
        assertThat(ServerProcesses.stop(server)).isZero();

        // The backup holds encrypted files and not their master key: restore refuses until it has it.
        ServerProcesses.Result keyless = processes.run("restore", "--from=backup", "--data-dir=restored");
        assertThat(keyless.exitCode()).isEqualTo(1);
        assertThat(keyless.err()).contains("encrypted files and not their master key").contains("--master-key-file");
        ServerProcesses.Result restore = processes.run("restore", "--from=backup", "--data-dir=restored",
                "--master-key-file=data/keys/master.json");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("4 files");
        assertThat(processes.run("restore", "--from=backup", "--data-dir=restored",
                "--master-key-file=data/keys/master.json").exitCode()).isEqualTo(1);

        ServerProcesses.Server restored = processes.startForeground("--port=0", "--bind=127.0.0.1",
                "--data-dir=restored", FAST_HASH);
        try (ProtocolClient alice = ProtocolClient.connect(restored.port());
             ProtocolClient bob = ProtocolClient.connect(restored.port())) {
            assertThat(alice.command("LOGIN alice password-1").code()).isEqualTo(230);
            for (var e : aliceFiles.entrySet()) {
                assertThat(Md5.hex(alice.download(e.getKey())))
                        .as(e.getKey()).isEqualTo(Md5.hex(e.getValue()));
            }
            assertThat(bob.command("LOGIN bob password-2").code()).isEqualTo(230);
            for (var e : bobFiles.entrySet()) {
                assertThat(Md5.hex(bob.download(e.getKey()))).isEqualTo(Md5.hex(e.getValue()));
            }
        }
        assertThat(ServerProcesses.stop(restored)).isZero();
        assertThat(server.output()).containsPattern(
                "INFO +DataSession: upload stored verified=yes user=alice path=/docs/big\\.bin bytes=3145745 seconds=[0-9.]+ MiB/s=[0-9.]+");
        assertThat(restored.output()).contains("download sent verified=by-client user=bob path=/b.bin bytes=200000");
    }

    @Test
    void theLauncherFindsItsJarFromAnyDirectoryAndThroughSymlinks() throws Exception {
        Path script = Path.of("src/main/sh/netdisk-server").toAbsolutePath();
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isRegularFile(script), "needs bash and the source tree");
        // The distribution's layout: bin/netdisk-server next to lib/netdisk-server.jar, reached by a symlink.
        Path dist = dir.resolve("opt/netdisk");
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.copy(script, dist.resolve("bin/netdisk-server"));
        Files.createSymbolicLink(dist.resolve("lib/netdisk-server.jar"), ServerProcesses.JAR.toAbsolutePath());
        Path usrBin = Files.createDirectories(dir.resolve("usr/bin"));
        Files.createSymbolicLink(usrBin.resolve("netdisk-server"), dist.resolve("bin/netdisk-server"));
        // The source tree's layout: the script in src/main/sh finds target/netdisk-server.jar.
        Files.createSymbolicLink(usrBin.resolve("netdisk-server-dev"), script);
        Path elsewhere = Files.createDirectories(dir.resolve("somewhere/else"));

        for (String name : new String[] {"netdisk-server", "netdisk-server-dev"}) {
            ProcessBuilder launch = new ProcessBuilder("../../usr/bin/" + name, "--version").directory(elsewhere.toFile())
                    .redirectErrorStream(true);
            // "Text file busy" (ETXTBSY) while a process another test forks at that moment still holds the
            // copied script open for writing, until its exec closes it: a moment later the start succeeds.
            Process p = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptionsMatching(e -> String.valueOf(e.getMessage()).contains("error=26"))
                    .until(launch::start, java.util.Objects::nonNull);
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).startsWith("netdisk-server ").doesNotContain("WARNING");
        }
    }

    private Path writeConfig(String content) throws IOException {
        Path file = Files.createTempFile(dir, "netdisk", ".properties");
        Files.writeString(file, content + "\n");
        return file;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Map<String, String> keyValues(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        text.lines().filter(l -> l.matches("[a-z_]+=.*")).forEach(l -> m.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        return m;
    }
}
