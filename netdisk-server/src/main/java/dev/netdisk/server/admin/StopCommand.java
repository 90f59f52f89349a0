package dev.netdisk.server.admin;

import dev.netdisk.server.ops.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netdisk-server stop}: sends SIGTERM to the server (the graceful stop) and waits for it to
 * exit. Stopping a server that is not running is not an error (exit 0), as with service managers.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop a running server gracefully (SIGTERM) and wait for it to exit.")
final class StopCommand extends AdminCommand {

    @Option(names = "--pid-file", paramLabel = "FILE", description = "The server's pid file (default: from --config, else the data directory's lock).")
    Path pidFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for the server to exit (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    int run(PrintWriter out) throws Exception {
        Optional<Path> pids = pidFile != null ? Optional.of(pidFile) : admin.pidFile();
        ServerProcess.Found found;
        try {
            found = ServerProcess.find(pids, admin.dataDir());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AdminException("permission denied: " + e.getMessage() + " (run stop as the server's user or root)");
        }
        if (found.process().isEmpty()) {
            out.println("netdisk-server is not running (" + found.source()
                    + found.stalePid().map(p -> ": pid " + p + " is gone").orElse("") + ")");
            return ExitCode.OK.code();
        }
        ProcessHandle server = found.process().get();
        out.println("stopping netdisk-server (pid " + server.pid() + ")");
        out.flush();
        if (!server.destroy()) {
            throw new AdminException("cannot signal pid " + server.pid() + " (run stop as the server's user or root)");
        }
        try {
            server.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AdminException("pid " + server.pid() + " still running after " + timeoutSeconds
                    + " s (transfers finishing?); run stop again or kill -9 it");
        }
        out.println("netdisk-server stopped");
        return ExitCode.OK.code();
    }
}
