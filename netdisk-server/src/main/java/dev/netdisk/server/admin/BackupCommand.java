package dev.netdisk.server.admin;

import dev.netdisk.server.ops.Backup;
import dev.netdisk.server.ops.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netdisk-server backup --to DIR}: a consistent copy of a data directory, while the server runs. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Copy the database (SQLite online backup) and every file it refers to into a new directory, checking each file's MD5. Works while the server runs.")
final class BackupCommand extends AdminCommand {

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "A new or empty directory.")
    Path to;

    @Option(names = "--with-master-key", description = "Put a copy of the master key in the backup too. Without it "
            + "(the default) the backup is useless to whoever takes it, and restore needs --master-key-file.")
    boolean withMasterKey;

    @Override
    int run(PrintWriter out) throws Exception {
        if (admin.postgres()) {
            // The backup is the SQLite file and the blob directory, copied consistently; a PostgreSQL
            // database is backed up by PostgreSQL's own tools (docs/OPERATIONS.md, PostgreSQL).
            throw new AdminException("backup handles the SQLite database of a data directory; this server's metadata is in"
                    + " PostgreSQL: use pg_dump/pg_restore (or the provider's snapshots) for it, and copy the blob"
                    + " directory beside it (docs/OPERATIONS.md)");
        }
        long start = System.nanoTime();
        Backup.Result result;
        try {
            result = Backup.backup(admin.dataDir(), to, admin.masterKeyFile(), withMasterKey);
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new AdminException(e.getMessage());
        }
        result.problems().forEach(p -> err().println("netdisk-server backup: " + p));
        out.printf("backup of %s in %s: %d files (%d blobs, %d bytes), %.1f s%s%n", admin.dataDir().toAbsolutePath(),
                to.toAbsolutePath(), result.files(), result.blobs(), result.bytes(), (System.nanoTime() - start) / 1e9,
                result.complete() ? "" : "; INCOMPLETE, run it again");
        out.println(withMasterKey ? "the master key is in the backup: keep the backup as safe as the key"
                : "the master key is NOT in the backup: keep a copy of " + admin.masterKeyFile().toAbsolutePath()
                + " apart from it; restore needs it (--master-key-file)");
        return result.complete() ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }
}
