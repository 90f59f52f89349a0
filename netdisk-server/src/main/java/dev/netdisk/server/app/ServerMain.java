package dev.netdisk.server.app;

import dev.netdisk.server.config.LogLevel;

import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.store.s3.S3Location;
import dev.netdisk.server.config.TlsSettings;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.StoragePolicy;

import dev.netdisk.server.admin.AdminCommands;
import dev.netdisk.server.config.AddressRanges;
import dev.netdisk.server.config.ConfigException;
import dev.netdisk.server.config.ConfigFile;
import dev.netdisk.server.ops.Daemon;
import dev.netdisk.server.ops.ExitCode;
import dev.netdisk.server.config.ServerSettings;
import dev.netdisk.server.config.Values;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netdisk-server}: runs the server in the foreground until SIGTERM or Ctrl-C, then stops
 * gracefully and exits 0; or, with {@code --daemon}, in the background. Its subcommands
 * ({@code stop}, {@code status}, {@code user}, {@code backup}, {@code restore}) administer a server
 * and its data directory; see {@code docs/OPERATIONS.md}.
 *
 * <p>Every server option can also be set in the {@code --config} file (key = the option's name
 * without the dashes); the command line wins over the file, the file over the defaults.
 *
 * <p>Exit codes ({@link ExitCode}): 0 after a clean stop, 1 when the server cannot start (port
 * taken, data directory unusable or in use), 2 for a usage or configuration error.
 */
@Command(name = "netdisk-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The netdisk server: keeps users' files and carries chat between them.",
        sortOptions = false)
public final class ServerMain implements Callable<Integer> {

    /** The defaults, shown in the help and used when neither the command line nor the file sets a value. */
    static final int DEFAULT_PORT = ServerConfig.DEFAULT_PORT;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with any of the options below (key = option name without --).")
    Path config;

    @Option(names = "--bind", paramLabel = "HOST", description = "Address to listen on (default: all interfaces).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port; 0 picks a free one (default: 2121).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory for the database and file contents (default: ./netdisk-data).")
    Path dataDir;

    @Option(names = "--token-ttl-days", paramLabel = "DAYS",
            description = "How long a login's session token stays valid (default: 30).")
    Integer tokenTtlDays;

    @Option(names = "--ticket-ttl-seconds", paramLabel = "SECONDS",
            description = "How long an unused transfer ticket stays valid (default: 60).")
    Integer ticketTtlSeconds;

    @Option(names = "--partial-ttl-hours", paramLabel = "HOURS",
            description = "How long the bytes of an interrupted upload are kept for resume (default: 24).")
    Integer partialTtlHours;

    @Option(names = "--password-iterations", paramLabel = "N",
            description = "PBKDF2 iterations for new password hashes (default: 600000, at least 1000).")
    Integer passwordIterations;

    @Option(names = "--workers", paramLabel = "N",
            description = "Threads for blocking work: database, disk sync, hashing (default: 4).")
    Integer workers;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Open connections in all; 0 for no limit (default: 20000).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            description = "Open connections from one IP address; 0 for no limit (default: 512).")
    Integer maxConnectionsPerIp;

    @Option(names = "--chat-per-second", paramLabel = "N",
            description = "Chat messages one user may send per second, sustained; 0 for no limit (default: 10).")
    Integer chatPerSecond;

    @Option(names = "--chat-burst", paramLabel = "N",
            description = "Chat messages one user may send at once after a pause (default: 20).")
    Integer chatBurst;

    @Option(names = "--registration", paramLabel = "open|closed",
            description = "Whether REGISTER creates accounts (default: open).")
    String registration;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warning, info, debug (adds connections opened and closed), trace, off (default: info).")
    String logLevel;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Append log records to FILE instead of stdout.")
    Path logFile;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the pid to FILE once listening; removed on stop.")
    Path pidFile;

    @Option(names = "--daemon", description = "Detach: return once the server listens (needs --pid-file and --log-file).")
    boolean daemon;

    @Option(names = "--foreground", description = "Stay in the foreground even when the config file says daemon=true.")
    boolean foreground;

    @Option(names = "--default-quota-mib", paramLabel = "MIB",
            description = "Storage quota of a user without one of their own, trash included, in MiB (default: 10240).")
    Integer defaultQuotaMib;

    @Option(names = "--trash-days", paramLabel = "DAYS",
            description = "How long deleted files stay in the trash (default: 30).")
    Integer trashDays;

    @Option(names = "--master-key-file", paramLabel = "FILE",
            description = "The master key of encryption at rest (made on first start, mode 0600). "
                    + "Default: DATA_DIR/keys/master.json. Keep a copy apart from the data: without it no file can be read.")
    Path masterKeyFile;

    @Option(names = "--database", paramLabel = "URL",
            description = "Metadata in PostgreSQL: jdbc:postgresql://HOST[:PORT]/DB, user and password in the URL or "
                    + "PGUSER/PGPASSWORD (default: SQLite in the data directory).")
    String database;

    @Option(names = "--blob-store", paramLabel = "URL",
            description = "Where file content goes: s3://BUCKET?endpoint=URL&region=R for an S3-compatible store "
                    + "(credentials from the AWS SDK's environment variables and profiles; the bucket must exist). "
                    + "Default: DATA_DIR/blobs.")
    String blobStore;

    @Option(names = "--no-tls", description = "Do not offer AUTH TLS: passwords and files cross the network in clear. "
            + "Only behind a TLS tunnel of your own.")
    boolean noTls;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain, leaf first (fullchain.pem); default: a self-signed one made in the data directory.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert (unencrypted).")
    Path tlsKey;

    @Option(names = "--tls-required-on-loopback",
            description = "Refuse REGISTER, LOGIN and DATA without TLS from loopback addresses too "
                    + "(by default nc localhost may log in in clear).")
    boolean tlsRequiredOnLoopback;

    @Option(names = "--proxy-protocol-from", paramLabel = "ADDRESSES",
            description = "Read a PROXY protocol header (v1 or v2) before anything else on connections from these "
                    + "addresses or CIDR ranges, comma-separated (HAProxy's send-proxy-v2): the client address it names "
                    + "counts for limits, logs and the loopback exemption. Default: none.")
    String proxyProtocolFrom;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its subcommands, as {@link #main} runs it (tests use it in-process). */
    public static CommandLine commandLine() {
        CommandLine cmd = AdminCommands.addTo(new CommandLine(new ServerMain()));
        // A usage error is one line and a hint, not the whole help (exit 2).
        cmd.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(name + ": " + e.getMessage());
            failed.getErr().println("Try '" + name + " --help' for more information.");
            return ExitCode.USAGE.code();
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("netdisk-server: " + e.getMessage());
            return ExitCode.FAILURE.code();
        });
        return cmd;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServerSettings settings;
        try {
            settings = settings();
        } catch (ConfigException e) {
            err.println("netdisk-server: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        if (settings.daemon()) {
            if (settings.pidFile() == null || settings.logFile() == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--daemon needs --pid-file and --log-file (or pid-file and log-file in the config file)");
            }
            List<String> childArgs = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            childArgs.removeIf(a -> a.equals("--daemon"));
            return Daemon.launch(ServerMain.class, childArgs, settings.pidFile(), settings.logFile(),
                    spec.commandLine().getOut(), err);
        }
        return ForegroundRun.run(settings, spec.commandLine().getOut(), err);
    }

    /**
     * The command line over the configuration file over the defaults.
     *
     * @throws ConfigException for an unreadable file, an unknown key or a bad value in it
     * @throws CommandLine.ParameterException for a bad value on the command line
     */
    ServerSettings settings() throws ConfigException {
        ConfigFile file = config == null ? ConfigFile.none() : ConfigFile.load(config);
        String effectiveBind = pick(bind, file.get("bind", s -> s), null);
        int effectivePort = pick(cli("--port", port, Values::checkPort), file.get("port", Values::port), DEFAULT_PORT);
        Path effectiveDataDir = pick(dataDir, file.path("data-dir"), Path.of(ServerConfig.DEFAULT_DATA_DIR));
        int ttlDays = pick(cli("--token-ttl-days", tokenTtlDays, v -> Values.checkAtLeast(v, 1)),
                file.get("token-ttl-days", s -> Values.atLeast(s, 1)), 30);
        int ticketSeconds = pick(cli("--ticket-ttl-seconds", ticketTtlSeconds, v -> Values.checkAtLeast(v, 1)),
                file.get("ticket-ttl-seconds", s -> Values.atLeast(s, 1)), 60);
        int partialHours = pick(cli("--partial-ttl-hours", partialTtlHours, v -> Values.checkAtLeast(v, 1)),
                file.get("partial-ttl-hours", s -> Values.atLeast(s, 1)), 24);
        int iterations = pick(cli("--password-iterations", passwordIterations, v -> Values.checkAtLeast(v, 1_000)),
                file.get("password-iterations", s -> Values.atLeast(s, 1_000)), ServerConfig.DEFAULT_PASSWORD_ITERATIONS);
        int workerThreads = pick(cli("--workers", workers, v -> Values.checkAtLeast(v, 1)),
                file.get("workers", s -> Values.atLeast(s, 1)), 4);
        LogLevel level = pick(logLevel == null ? null : cliValue("--log-level", () -> LogLevel.parse(logLevel)),
                file.get("log-level", LogLevel::parse), LogLevel.INFO);
        Path effectiveLogFile = pick(logFile, file.path("log-file"), null);
        Path effectivePidFile = pick(pidFile, file.path("pid-file"), null);
        if (daemon && foreground) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--daemon and --foreground exclude each other");
        }
        boolean effectiveDaemon = !foreground && (daemon || file.get("daemon", Values::bool).orElse(false));
        ServerConfig serverConfig = new ServerConfig(effectiveBind, effectivePort, effectiveDataDir,
                Duration.ofDays(ttlDays), Duration.ofSeconds(ticketSeconds), Duration.ofHours(partialHours),
                iterations, workerThreads, limits(file), storage(file), tls(file),
                pick(masterKeyFile, file.path("master-key-file"), null),
                pick(database == null ? null : cliValue("--database", () -> Values.databaseUrl(database)),
                        file.get("database", Values::databaseUrl), null),
                pick(blobStore == null ? null : cliValue("--blob-store", () -> checkedBlobStore(blobStore)),
                        file.get("blob-store", ServerMain::checkedBlobStore), null),
                pick(proxyProtocolFrom == null ? null
                                : cliValue("--proxy-protocol-from", () -> AddressRanges.parse(proxyProtocolFrom)),
                        file.get("proxy-protocol-from", AddressRanges::parse), AddressRanges.NONE),
                file.get("upload-lease-seconds", s -> Duration.ofSeconds(Values.between(s,
                        (int) ServerConfig.MIN_UPLOAD_LEASE.toSeconds(), (int) ServerConfig.MAX_UPLOAD_LEASE.toSeconds())))
                        .orElse(ServerConfig.DEFAULT_UPLOAD_LEASE));
        return new ServerSettings(serverConfig, level, effectiveLogFile, effectivePidFile, effectiveDaemon);
    }

    /** TLS: the command line, then the file, then on with a self-signed certificate. */
    private TlsSettings tls(ConfigFile file) throws ConfigException {
        boolean enabled = !noTls && !file.get("no-tls", Values::bool).orElse(false);
        Path cert = pick(tlsCert, file.path("tls-cert"), null);
        Path key = pick(tlsKey, file.path("tls-key"), null);
        if ((cert == null) != (key == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        boolean exempt = !tlsRequiredOnLoopback && !file.get("tls-required-on-loopback", Values::bool).orElse(false);
        return TlsSettings.DEFAULTS.withEnabled(enabled).withFiles(cert, key).withLoopbackExempt(exempt);
    }

    /** The default quota and the trash's time to live: the command line, then the file, then the defaults. */
    private StoragePolicy storage(ConfigFile file) throws ConfigException {
        int quotaMib = pick(cli("--default-quota-mib", defaultQuotaMib, v -> Values.checkAtLeast(v, 0)),
                file.get("default-quota-mib", s -> Values.atLeast(s, 0)),
                (int) (StoragePolicy.DEFAULT_QUOTA_BYTES >> 20));
        int days = pick(cli("--trash-days", trashDays, v -> Values.checkAtLeast(v, 0)),
                file.get("trash-days", s -> Values.atLeast(s, 0)), (int) StoragePolicy.DEFAULT_TRASH_TTL.toDays());
        int partials = file.get("max-partial-uploads-per-user", s -> Values.atLeast(s, 0))
                .orElse(StoragePolicy.DEFAULT_MAX_PARTIAL_UPLOADS);
        int partialMib = file.get("max-partial-mib-per-user", s -> Values.atLeast(s, 0))
                .orElse((int) (StoragePolicy.DEFAULT_MAX_PARTIAL_BYTES >> 20));
        int chatMib = file.get("chat-history-mib-per-user", s -> Values.atLeast(s, 0))
                .orElse((int) (StoragePolicy.DEFAULT_CHAT_HISTORY_BYTES >> 20));
        int entries = file.get("max-entries-per-user", s -> Values.atLeast(s, 0))
                .orElse((int) StoragePolicy.DEFAULT_MAX_ENTRIES);
        return new StoragePolicy((long) quotaMib << 20, Duration.ofDays(days), partials, (long) partialMib << 20,
                (long) chatMib << 20, entries);
    }

    /** The limits: the command line's few options, then the file's keys, then the defaults. */
    private Limits limits(ConfigFile file) throws ConfigException {
        Limits d = Limits.defaults();
        int connections = pick(cli("--max-connections", maxConnections, v -> Values.checkAtLeast(v, 0)),
                file.get("max-connections", s -> Values.atLeast(s, 0)), d.maxConnections());
        int perIp = pick(cli("--max-connections-per-ip", maxConnectionsPerIp, v -> Values.checkAtLeast(v, 0)),
                file.get("max-connections-per-ip", s -> Values.atLeast(s, 0)), d.maxConnectionsPerIp());
        boolean open = pick(registration == null ? null : cliValue("--registration", () -> Values.openClosed(registration)),
                file.get("registration", Values::openClosed), d.registrationOpen());
        return new Limits(connections, perIp,
                file.get("max-sessions-per-user", s -> Values.atLeast(s, 0)).orElse(d.maxSessionsPerUser()),
                file.get("max-tickets-per-user", s -> Values.atLeast(s, 0)).orElse(d.maxTicketsPerUser()),
                file.get("max-transfers-per-user", s -> Values.atLeast(s, 0)).orElse(d.maxTransfersPerUser()),
                seconds(file, "idle-timeout-seconds", d.idleTimeout()),
                seconds(file, "login-timeout-seconds", d.loginTimeout()),
                seconds(file, "line-timeout-seconds", d.lineTimeout()),
                seconds(file, "transfer-stall-timeout-seconds", d.transferStallTimeout()),
                file.get("login-failures-before-delay", s -> Values.atLeast(s, 0)).orElse(d.loginFailuresBeforeDelay()),
                seconds(file, "max-login-delay-seconds", d.maxLoginDelay()),
                file.get("login-failures-before-lock", s -> Values.atLeast(s, 0)).orElse(d.loginFailuresBeforeLock()),
                seconds(file, "login-lock-seconds", d.loginLockTime()),
                open,
                file.get("registrations-per-ip-per-hour", s -> Values.atLeast(s, 0)).orElse(d.registrationsPerIpPerHour()),
                file.get("max-queued-output-kib", s -> Values.atLeast(s, 64)).map(k -> k << 10)
                        .orElse(d.maxQueuedOutputBytes()),
                pick(cli("--chat-per-second", chatPerSecond, v -> Values.checkAtLeast(v, 0)),
                        file.get("chat-per-second", s -> Values.atLeast(s, 0)), d.chatPerSecond()),
                pick(cli("--chat-burst", chatBurst, v -> Values.checkAtLeast(v, 1)),
                        file.get("chat-burst", s -> Values.atLeast(s, 1)), d.chatBurst()));
    }

    private static Duration seconds(ConfigFile file, String key, Duration fallback) throws ConfigException {
        return file.get(key, s -> Duration.ofSeconds(Values.atLeast(s, 1))).orElse(fallback);
    }

    /** {@code text} when it is an {@code s3://} location ({@link S3Location#parse}). */
    private static String checkedBlobStore(String text) {
        S3Location.parse(text);
        return text;
    }

    private static <T> T pick(T fromCommandLine, Optional<T> fromFile, T fallback) {
        return fromCommandLine != null ? fromCommandLine : fromFile.orElse(fallback);
    }

    private Integer cli(String option, Integer value, IntFunction<Integer> check) {
        return value == null ? null : cliValue(option, () -> check.apply(value));
    }

    private <T> T cliValue(String option, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bad value for " + option + ": " + e.getMessage());
        }
    }
}
