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
        if (admin.postgres()) {
            // The backup is the SQLite file and the blob directory, copied consistently; a PostgreSQL
            // database is backed up by PostgreSQL's own tools (docs/OPERATIONS.md, PostgreSQL).
            throw new AdminException("restore handles the SQLite database of a data directory; this server's metadata is in"
                    + " PostgreSQL: use pg_dump/pg_restore (or the provider's snapshots) for it, and copy the blob"
                    + " directory beside it (docs/OPERATIONS.md)");
        }
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
