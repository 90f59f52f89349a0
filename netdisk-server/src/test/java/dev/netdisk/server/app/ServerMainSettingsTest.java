package dev.netdisk.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.server.config.ConfigException;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.LogLevel;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.ServerSettings;
import dev.netdisk.server.config.StoragePolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line over the configuration file over the defaults, without starting anything. */
class ServerMainSettingsTest {

    @TempDir
    Path dir;

    private static ServerSettings settings(String... args) throws ConfigException {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(args);
        return main.settings();
    }

    @Test
    void defaultsWithoutAFile() throws Exception {
        ServerSettings s = settings();
        assertThat(s.config().port()).isEqualTo(2121);
        assertThat(s.config().dataDir()).isEqualTo(Path.of("netdisk-data"));
        assertThat(s.config().bind()).isNull();
        assertThat(s.config().tokenTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(s.config().workerThreads()).isEqualTo(4);
        assertThat(s.config().passwordIterations()).isEqualTo(ServerConfig.DEFAULT_PASSWORD_ITERATIONS);
        assertThat(s.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(s.logFile()).isNull();
        assertThat(s.pidFile()).isNull();
        assertThat(s.daemon()).isFalse();
    }

    @Test
    void everyOptionFromTheFileAndTheCommandLineWins() throws Exception {
        Path file = Files.writeString(dir.resolve("n.properties"), String.join("\n",
                "bind=127.0.0.1", "port=3000", "data-dir=d", "token-ttl-days=2", "ticket-ttl-seconds=5",
                "partial-ttl-hours=3", "password-iterations=2000", "workers=7", "log-level=debug",
                "log-file=n.log", "pid-file=n.pid", "daemon=true", "max-connections-per-ip=7",
                "idle-timeout-seconds=30", "registration=closed", "default-quota-mib=5", "trash-days=2", ""));

        ServerSettings fromFile = settings("--config", file.toString());
        assertThat(fromFile.config()).isEqualTo(new ServerConfig("127.0.0.1", 3000, dir.resolve("d").toAbsolutePath(),
                Duration.ofDays(2), Duration.ofSeconds(5), Duration.ofHours(3), 2000, 7,
                Limits.defaults().withCounts(20_000, 7, 64, 64, 16)
                        .withTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(60), Duration.ofSeconds(60))
                        .withRegistration(false, 20),
                new StoragePolicy(5L << 20, Duration.ofDays(2))));
        assertThat(fromFile.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(fromFile.logFile()).isEqualTo(dir.resolve("n.log").toAbsolutePath());
        assertThat(fromFile.pidFile()).isEqualTo(dir.resolve("n.pid").toAbsolutePath());
        assertThat(fromFile.daemon()).isTrue();

        ServerSettings overridden = settings("--config", file.toString(), "--port", "0", "--workers", "1",
                "--data-dir", "other", "--log-level", "error", "--foreground");
        assertThat(overridden.config().port()).isZero();
        assertThat(overridden.config().workerThreads()).isEqualTo(1);
        assertThat(overridden.config().dataDir()).isEqualTo(Path.of("other"));
        assertThat(overridden.config().bind()).isEqualTo("127.0.0.1");
        assertThat(overridden.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(overridden.daemon()).isFalse();
    }

    @Test
    void everyLimitFromTheFileAndTheFewOptionsOverIt() throws Exception {
        Path file = Files.writeString(dir.resolve("l.properties"), String.join("\n",
                "max-connections=100", "max-connections-per-ip=0", "max-sessions-per-user=2", "max-tickets-per-user=3",
                "max-transfers-per-user=4", "idle-timeout-seconds=5", "login-timeout-seconds=6", "line-timeout-seconds=7",
                "transfer-stall-timeout-seconds=8", "login-failures-before-delay=0", "max-login-delay-seconds=9",
                "login-failures-before-lock=11", "login-lock-seconds=12", "registration=closed",
                "registrations-per-ip-per-hour=13", "max-queued-output-kib=64", "chat-per-second=0", "chat-burst=50", ""));

        Limits fromFile = settings("--config", file.toString()).config().limits();
        assertThat(fromFile).isEqualTo(new Limits(100, 0, 2, 3, 4, Duration.ofSeconds(5), Duration.ofSeconds(6),
                Duration.ofSeconds(7), Duration.ofSeconds(8), 0, Duration.ofSeconds(9), 11, Duration.ofSeconds(12),
                false, 13, 64 << 10, 0, 50));

        Limits overridden = settings("--config", file.toString(), "--registration", "open",
                "--max-connections", "0", "--chat-per-second", "30", "--chat-burst", "60").config().limits();
        assertThat(overridden.chatPerSecond()).isEqualTo(30);
        assertThat(overridden.chatBurst()).isEqualTo(60);
        assertThat(overridden.registrationOpen()).isTrue();
        assertThat(overridden.maxConnections()).isZero();
        assertThat(overridden.maxSessionsPerUser()).isEqualTo(2);
    }

    @Test
    void everyServerOptionIsAConfigurationKey() {
        java.util.Set<String> options = new java.util.TreeSet<>();
        for (CommandLine.Model.OptionSpec o : new CommandLine(new ServerMain()).getCommandSpec().options()) {
            options.add(o.longestName().replaceFirst("^--", ""));
        }
        options.removeAll(java.util.Set.of("config", "foreground", "help", "version"));
        assertThat(dev.netdisk.server.config.ConfigFile.KEYS).containsAll(options);
    }

    @Test
    void theExampleConfigurationNamesEveryKeyWithAValidValue() throws Exception {
        Path example = Path.of("src/main/dist/netdisk-server.properties");
        String text = Files.readString(example);
        // Uncomment every "#key = value" line: each default shown must be accepted as it is.
        Path all = Files.writeString(dir.resolve("all.properties"), text.replaceAll("(?m)^#([a-z-]+ =)", "$1"));
        java.util.Properties props = new java.util.Properties();
        try (var in = Files.newBufferedReader(all)) {
            props.load(in);
        }
        assertThat(props.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(dev.netdisk.server.config.ConfigFile.KEYS);

        ServerSettings s = settings("--config", all.toString());
        assertThat(s.config().limits()).isEqualTo(Limits.defaults());
        assertThat(s.config().storage()).isEqualTo(StoragePolicy.DEFAULTS);
        assertThat(s.config().port()).isEqualTo(2121);
    }

    @Test
    void badCommandLineValuesNameTheOption() {
        assertThatThrownBy(() -> settings("--port", "70000")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("bad value for --port: a port is 0-65535, not 70000");
        assertThatThrownBy(() -> settings("--password-iterations", "10"))
                .hasMessageContaining("--password-iterations: must be at least 1000");
        assertThatThrownBy(() -> settings("--daemon", "--foreground")).hasMessageContaining("exclude each other");
        // The value may hold a password: the refusal does not repeat it.
        assertThatThrownBy(() -> settings("--database", "mysql://u:secret@h/db"))
                .hasMessageStartingWith("bad value for --database: a database URL is jdbc:postgresql://")
                .hasMessageNotContaining("secret");
    }

    @Test
    void theUploadLeaseComesFromTheFileWithinItsRange() throws Exception {
        assertThat(settings().config().uploadLease()).isEqualTo(Duration.ofSeconds(30));
        Path file = Files.writeString(dir.resolve("lease.properties"), "upload-lease-seconds = 6\n");
        assertThat(settings("--config", file.toString()).config().uploadLease()).isEqualTo(Duration.ofSeconds(6));
        for (String bad : new String[] {"2", "3601", "soon"}) {
            Path badFile = Files.writeString(dir.resolve("bad.properties"), "upload-lease-seconds = " + bad + "\n");
            assertThatThrownBy(() -> settings("--config", badFile.toString()))
                    .isInstanceOf(dev.netdisk.server.config.ConfigException.class)
                    .hasMessageContaining("bad value for key 'upload-lease-seconds': '" + bad + "': ")
                    .hasMessageEndingWith(bad.equals("soon") ? "not an integer" : "must be 3-3600, not " + bad);
        }
    }

    @Test
    void theDatabaseComesFromTheCommandLineOrTheFileAndDefaultsToSqlite() throws Exception {
        assertThat(settings().config().database()).isNull();
        assertThat(settings("--database", "jdbc:postgresql://db/netdisk").config().database())
                .isEqualTo("jdbc:postgresql://db/netdisk");
        Path file = Files.writeString(dir.resolve("db.properties"), "database = jdbc:postgresql://db:5433/nd?user=n\n");
        assertThat(settings("--config", file.toString()).config().database()).isEqualTo("jdbc:postgresql://db:5433/nd?user=n");
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        CommandLine cmd = ServerMain.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));

        int code = cmd.execute("--no-such-option");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("netdisk-server: Unknown option: '--no-such-option'\n"
                + "Try 'netdisk-server --help' for more information.\n");
    }
}
