package dev.netdisk.server.app;

import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.ServerSettings;
import dev.netdisk.server.ops.DataDirLock;
import dev.netdisk.server.ops.ExitCode;
import dev.netdisk.server.ops.HeapReturn;
import dev.netdisk.server.ops.Logging;
import dev.netdisk.server.ops.PidFile;
import dev.netdisk.server.ops.Version;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code netdisk-server} in the foreground (also the process a {@code --daemon} start detaches):
 * the server's life from its start-up line to its graceful stop on a signal.
 */
final class ForegroundRun {

    private ForegroundRun() {
    }

    /**
     * Starts the server of {@code settings} and serves until SIGTERM or Ctrl-C: prints the
     * start-up line to {@code out} (and the log), writes the pid file last, then stops gracefully.
     *
     * @return the exit code: {@link ExitCode#OK} after a requested stop, {@link ExitCode#FAILURE}
     *         when the log file, the port, the data directory, the database or the pid file fails
     *         (one line on {@code err} saying which and why)
     */
    static int run(ServerSettings settings, PrintWriter out, PrintWriter err) throws InterruptedException {
        try {
            Logging.configure(settings.logLevel(), settings.logFile());
        } catch (java.io.IOException e) {
            err.println("netdisk-server: cannot open log file " + settings.logFile() + ": " + e);
            return ExitCode.FAILURE.code();
        }
        ServerConfig config = settings.config();
        HeapReturn.apply();
        NetdiskServer server;
        try {
            server = NetdiskServer.start(config);
        } catch (BindException e) {
            err.println("netdisk-server: cannot listen on " + (config.bind() == null ? "*" : config.bind()) + ":"
                    + config.port() + ": " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (DataDirLock.LockedException | dev.netdisk.server.store.BlobStoreUnavailableException e) {
            err.println("netdisk-server: " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (AccessDeniedException e) {
            err.println("netdisk-server: data directory " + config.dataDir().toAbsolutePath()
                    + " is not writable: cannot write " + e.getFile());
            return ExitCode.FAILURE.code();
        } catch (FileSystemException e) {
            String reason = e instanceof java.nio.file.FileAlreadyExistsException ? "not a directory"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            err.println("netdisk-server: data directory " + config.dataDir().toAbsolutePath() + " is unusable: "
                    + e.getFile() + ": " + reason);
            return ExitCode.FAILURE.code();
        } catch (java.sql.SQLException e) {
            // The message names the database (a PostgreSQL URL without its password) and the reason.
            err.println("netdisk-server: cannot open the database: " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (Exception e) {
            err.println("netdisk-server: cannot start: " + e);
            return ExitCode.FAILURE.code();
        }
        // SIGTERM and Ctrl-C ask for a graceful stop and exit 0; a shutdown hook still closes the
        // server on any other way out (System.exit elsewhere). SIGHUP reloads the TLS certificate.
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.install(server::reloadTls, stopRequested::countDown);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (settings.pidFile() != null) {
                PidFile.deleteIfOurs(settings.pidFile());
            }
        }, "netdisk-shutdown"));
        String host = server.address().getAddress().isAnyLocalAddress() ? "0.0.0.0"
                : server.address().getAddress().getHostAddress();
        String tlsNote = server.tlsFingerprint().map(f -> ", TLS certificate " + f).orElse(", TLS off");
        Database db = server.database();
        String databaseNote = ", database " + db.dialect().displayName()
                + (db.dialect() == Dialect.SQLITE ? "" : " " + db.description());
        out.println("netdisk-server listening on " + host + ":" + server.port() + tlsNote + databaseNote);
        out.flush();
        System.getLogger(ServerMain.class.getName()).log(System.Logger.Level.INFO, () -> "netdisk-server "
                + Version.version() + " listening on " + host + ":" + server.port() + tlsNote + ", data directory "
                + config.dataDir().toAbsolutePath() + ", database " + db.dialect().displayName() + " " + db.description()
                + ", pid " + ProcessHandle.current().pid());
        if (settings.pidFile() != null) {
            try {
                // Last: for --daemon, the pid file's appearance means "listening".
                PidFile.write(settings.pidFile());
            } catch (java.io.IOException e) {
                err.println("netdisk-server: cannot write pid file " + settings.pidFile() + ": " + e);
                server.close();
                return ExitCode.FAILURE.code();
            }
        }
        stopRequested.await();
        err.println("netdisk-server: stopping");
        server.close();
        if (settings.pidFile() != null) {
            PidFile.deleteIfOurs(settings.pidFile());
        }
        err.println("netdisk-server: stopped");
        err.flush();
        return ExitCode.OK.code();
    }
}
