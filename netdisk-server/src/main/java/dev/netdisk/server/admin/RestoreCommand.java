package dev.netdisk.server.admin;

import dev.netdisk.server.ops.Backup;
import dev.netdisk.server.ops.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netdisk-server restore --from DIR --data-dir NEW}: a backup into a new data directory. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into a new or empty data directory (no server may use it), checking every file's MD5; then start the server on that directory. A backup of encrypted files needs their master key: --master-key-file FILE, unless the backup carries it; it is copied to DATA_DIR/keys/master.json.")
final class RestoreCommand extends AdminCommand {

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "A directory made by backup.")
    Path from;

    @Override
    int run(PrintWriter out) throws Exception {
        long start = System.nanoTime();
        Backup.Result result;
        try {
            result = Backup.restore(from, admin.dataDir(), admin.masterKeyFile);
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new AdminException(e.getMessage());
        }
        result.problems().forEach(p -> err().println("netdisk-server restore: " + p));
        out.printf("restored %s into %s: %d files (%d blobs, %d bytes), %.1f s%s%n", from.toAbsolutePath(),
                admin.dataDir().toAbsolutePath(), result.files(), result.blobs(), result.bytes(),
                (System.nanoTime() - start) / 1e9,
                result.complete() ? "" : "; SOME FILES ARE MISSING OR DAMAGED (listed above)");
        return result.complete() ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }
}
