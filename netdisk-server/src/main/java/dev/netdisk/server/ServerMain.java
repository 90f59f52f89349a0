package dev.netdisk.server;

import dev.netdisk.server.net.Version;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netdisk-server}: runs the server in the foreground until SIGTERM or Ctrl-C, then stops
 * gracefully and exits 0.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the server cannot start (port taken, data directory
 * unusable), 2 for a usage error.
 */
@Command(name = "netdisk-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.VersionProvider.class,
        description = "The netdisk server: keeps users' files and carries chat between them.",
        sortOptions = false)
public final class ServerMain implements Callable<Integer> {

    @Option(names = "--bind", paramLabel = "HOST", description = "Address to listen on (default: all interfaces).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "2121",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "netdisk-data",
            description = "Directory for the database and file contents (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--token-ttl-days", paramLabel = "DAYS", defaultValue = "30",
            description = "How long a login's session token stays valid (default: ${DEFAULT-VALUE}).")
    int tokenTtlDays;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "Threads for blocking work: database, disk sync, hashing (default: ${DEFAULT-VALUE}).")
    int workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(new CommandLine(new ServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535: " + port);
        }
        if (tokenTtlDays < 1 || workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--token-ttl-days and --workers must be at least 1");
        }
        ServerConfig config = new ServerConfig(bind, port, dataDir, Duration.ofDays(tokenTtlDays),
                Duration.ofSeconds(60), Duration.ofHours(24), ServerConfig.DEFAULT_PASSWORD_ITERATIONS, workers);
        NetdiskServer server;
        try {
            server = NetdiskServer.start(config);
        } catch (BindException e) {
            err.println("netdisk-server: cannot listen on " + (bind == null ? "*" : bind) + ":" + port + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("netdisk-server: cannot start: " + e);
            return 1;
        }
        // SIGTERM and Ctrl-C ask for a graceful stop and exit 0; a shutdown hook still closes the
        // server on any other way out (SIGHUP, System.exit elsewhere).
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopRequested.countDown());
            } catch (IllegalArgumentException unsupported) {
                // not on this platform: the shutdown hook covers it
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "netdisk-shutdown"));
        String host = server.address().getAddress().isAnyLocalAddress() ? "0.0.0.0"
                : server.address().getAddress().getHostAddress();
        PrintWriter out = spec.commandLine().getOut();
        out.println("netdisk-server listening on " + host + ":" + server.port());
        out.flush();
        stopRequested.await();
        err.println("netdisk-server: stopping");
        server.close();
        err.println("netdisk-server: stopped");
        return 0;
    }

    /** The version from the jar's manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"netdisk-server " + Version.version()};
        }
    }
}
