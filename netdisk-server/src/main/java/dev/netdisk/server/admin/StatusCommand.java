package dev.netdisk.server.admin;

import dev.netdisk.server.ops.AdminSocket;
import dev.netdisk.server.ops.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netdisk-server status}: whether the server runs (exit 0) or not (exit 3), and for a
 * running one its live counters from the admin socket of its data directory.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Tell whether the server runs (exit 0) or not (exit 3); for a running server, show connections, logged-in users, transfers in flight and bytes in and out since start.")
final class StatusCommand extends AdminCommand {

    @Option(names = "--pid-file", paramLabel = "FILE", description = "The server's pid file (default: from --config, else the data directory's lock).")
    Path pidFile;

    @Override
    int run(PrintWriter out) throws Exception {
        Optional<Path> pids = pidFile != null ? Optional.of(pidFile) : admin.pidFile();
        ServerProcess.Found found;
        try {
            found = ServerProcess.find(pids, admin.dataDir());
        } catch (IOException e) {
            err().println("netdisk-server status: unknown: " + (e instanceof java.nio.file.AccessDeniedException
                    ? "permission denied: " + e.getMessage() + " (run status as the server's user or root)"
                    : e.getMessage()));
            return ExitCode.UNKNOWN.code();
        }
        if (found.process().isEmpty()) {
            out.println("netdisk-server is not running (" + found.source()
                    + found.stalePid().map(p -> ": stale, pid " + p + " is gone").orElse("") + ")");
            return ExitCode.NOT_RUNNING.code();
        }
        long pid = found.process().get().pid();
        out.println("netdisk-server is running (pid " + pid + ")");
        try {
            Map<String, String> stats = AdminSocket.query(admin.dataDir());
            if (!String.valueOf(pid).equals(stats.get("pid"))) {
                out.println("(no live counters: the server of " + admin.dataDir() + " is pid " + stats.get("pid")
                        + "; pass the right --data-dir or --config)");
            } else {
                stats.forEach((k, v) -> out.println(k + "=" + v));
            }
        } catch (IOException e) {
            out.println("(no live counters: cannot reach " + admin.dataDir().resolve(AdminSocket.FILE_NAME)
                    + ": " + e.getMessage() + "; pass the server's --data-dir or --config)");
        }
        return ExitCode.OK.code();
    }
}
