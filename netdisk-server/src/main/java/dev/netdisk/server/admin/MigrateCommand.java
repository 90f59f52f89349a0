package dev.netdisk.server.admin;

import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.ops.DataDirLock;
import dev.netdisk.server.ops.ExitCode;
import dev.netdisk.server.ops.Migrate;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.s3.S3BlobStore;
import dev.netdisk.server.store.s3.S3Copy;
import dev.netdisk.server.store.s3.S3Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netdisk-server migrate --data-dir DIR --to-database URL --to-blob-store URL}: a stopped
 * single-machine data directory into PostgreSQL and S3 ({@link Migrate}).
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Copy a stopped server's data directory (SQLite and the blob directory) into PostgreSQL and an"
                + " S3 bucket: every table's rows with their ids, every file's encrypted content as it is, each file's"
                + " MD5 checked on the way. Resumable: after a kill, run the same command again. The servers on the"
                + " target must use this data directory's master key (copy keys/master.json, or --master-key-file).")
final class MigrateCommand extends AdminCommand {

    @Option(names = "--to-database", required = true, paramLabel = "URL",
            description = "The target: jdbc:postgresql://HOST[:PORT]/DB (user and password in the URL or PGUSER/PGPASSWORD);"
                    + " migrated to the newest schema first; it must hold no netdisk data.")
    String toDatabase;

    @Option(names = "--to-blob-store", required = true, paramLabel = "URL",
            description = "The target bucket: s3://BUCKET?endpoint=URL&region=R (credentials from the AWS SDK's"
                    + " environment variables or profiles).")
    String toBlobStore;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "How many files are copied to the bucket at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    int run(PrintWriter out) throws Exception {
        if (admin.postgres()) {
            throw new AdminException("migrate copies a data directory's SQLite database; --database names a PostgreSQL"
                    + " one: give the target as --to-database");
        }
        S3Location location;
        try {
            if (Dialect.of(toDatabase) != Dialect.POSTGRESQL) {
                throw new IllegalArgumentException("--to-database must be a jdbc:postgresql:// URL, not " + toDatabase);
            }
            location = S3Location.parse(toBlobStore);
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
        if (parallel < 1 || parallel > 64) {
            throw new AdminException("--parallel takes 1 to 64, not " + parallel);
        }
        admin.existingDatabase();
        long start = System.nanoTime();
        try (DataDirLock lock = DataDirLock.acquire(admin.dataDir())) {
            MasterKey master = Files.exists(admin.masterKeyFile()) ? MasterKey.load(admin.masterKeyFile()) : null;
            try (Database source = admin.openDatabase();
                 Database target = Database.open(toDatabase, admin.dataDir(), 2, System.getenv());
                 S3BlobStore bucket = S3BlobStore.connect(location, null, target, admin.dataDir().resolve("partial"))) {
                Migrate.Result r = new Migrate(source, new LocalBlobStore(admin.dataDir()),
                        master == null ? null : new DataKeys(source, master), target, new S3Copy(bucket),
                        admin.dataDir().toAbsolutePath().normalize().toString(), parallel, line -> {
                            out.println(line);
                            out.flush();
                        }).run();
                out.printf("migrated %s into %s and %s: %d users, %d files, %d directories, %d trash items, %d shares,"
                                + " %d links, %d messages, %d bytes of content (%d blobs copied, %d there before),"
                                + " %.1f s%n", admin.dataDir().toAbsolutePath(), target.description(), bucket.describe(),
                        r.users(), r.files(), r.directories(), r.trashItems(), r.shares(), r.links(), r.messages(),
                        r.contentBytes(), r.blobsCopied(), r.blobsThere(), (System.nanoTime() - start) / 1e9);
                out.println("kept partial uploads were not migrated; start the servers on the target with this master key"
                        + (master == null ? "" : " (" + admin.masterKeyFile().toAbsolutePath() + ")"));
                return ExitCode.OK.code();
            }
        } catch (DataDirLock.LockedException e) {
            throw new AdminException(e.getMessage() + ": stop the server before migrating its data directory");
        } catch (Migrate.MigrateException | IOException | SQLException e) {
            throw new AdminException(e.getMessage() + " (run the same command again once it is fixed: it resumes)");
        }
    }
}
