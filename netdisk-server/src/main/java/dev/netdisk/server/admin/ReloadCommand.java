package dev.netdisk.server.admin;

import dev.netdisk.server.ops.AdminSocket;
import dev.netdisk.server.ops.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code netdisk-server reload}: makes the running server read its TLS certificate and key files
 * again (a renewed certificate), through the admin socket. Open connections are not dropped; new
 * ones get the new certificate. SIGHUP does the same.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload the TLS certificate and key files (after a renewal) without dropping connections.")
final class ReloadCommand extends AdminCommand {

    @Override
    int run(PrintWriter out) throws Exception {
        Map<String, String> answer;
        try {
            answer = AdminSocket.reload(admin.dataDir());
        } catch (IOException e) {
            throw new AdminException("cannot reach the server of " + admin.dataDir() + ": " + e.getMessage()
                    + " (is it running? pass its --data-dir or --config)");
        }
        if (answer.containsKey("fingerprint")) {
            out.println("TLS certificate reloaded: " + answer.get("fingerprint"));
            return ExitCode.OK.code();
        }
        throw new AdminException("reload failed: " + answer.getOrDefault("error", "no answer (an older server?)"));
    }
}
