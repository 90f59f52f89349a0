package dev.netdisk.server.admin;

import dev.netdisk.server.cluster.ClusterPresence;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.ops.DataDirLock;
import dev.netdisk.server.ops.EncryptExisting;
import dev.netdisk.server.ops.ExitCode;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code netdisk-server keys status|rotate|encrypt-existing}: the master key of encryption at rest
 * and the data keys it wraps (docs/OPERATIONS.md, "Encryption at rest").
 *
 * <p>{@code status} and {@code encrypt-existing} work while the server runs; {@code rotate} needs it
 * stopped, since a running server holds the keyset in memory and would keep wrapping new data keys
 * with the key being retired.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "The master key of encryption at rest and the data keys it wraps.",
        subcommands = {KeysCommand.Status.class, KeysCommand.Rotate.class, KeysCommand.EncryptExistingCommand.class})
final class KeysCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: status, rotate or encrypt-existing");
    }

    /** The master key of the data directory, which must exist. */
    static MasterKey master(AdminOptions admin) throws Exception {
        Path file = admin.masterKeyFile();
        try {
            return MasterKey.load(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AdminException("no master key at " + file.toAbsolutePath() + " (a server makes it on its first"
                    + " start; --master-key-file if it is kept elsewhere)");
        } catch (IOException e) {
            throw new AdminException(e.getMessage());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Which master keys exist, how many files each protects, and how many are not encrypted.")
    static final class Status extends AdminCommand {
        @Override
        int run(PrintWriter out) throws Exception {
            MasterKey master = master(admin);
            try (Database db = admin.openDatabase()) {
                Map<Long, Long> files = db.read(c -> counts(c, "SELECT k.master_key_id, COUNT(*) FROM nodes n"
                        + " JOIN data_keys k ON k.blob_id = n.blob_id GROUP BY k.master_key_id"));
                Map<Long, Long> kept = db.read(c -> counts(c, "SELECT k.master_key_id, COUNT(*) FROM partial_uploads p"
                        + " JOIN data_keys k ON k.blob_id = p.blob_id GROUP BY k.master_key_id"));
                long plain = db.read(c -> single(c, "SELECT COUNT(*) FROM nodes n WHERE n.is_dir = 0"
                        + " AND n.blob_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM data_keys k WHERE k.blob_id = n.blob_id)"));
                out.println("master key file " + master.file().toAbsolutePath());
                for (int id : master.keyIds()) {
                    long key = Integer.toUnsignedLong(id);
                    out.printf("key %d%s: %d files, %d kept uploads%n", key, id == master.primaryId() ? " (primary)" : "",
                            files.getOrDefault(key, 0L), kept.getOrDefault(key, 0L));
                }
                for (Map.Entry<Long, Long> e : files.entrySet()) {
                    if (!master.keyIds().contains((int) (long) e.getKey())) {
                        out.printf("key %d: MISSING from the key file, %d files unreadable%n", e.getKey(), e.getValue());
                    }
                }
                out.printf("not encrypted: %d files%s%n", plain, plain > 0 ? " (stored before encryption at rest:"
                        + " netdisk-server keys encrypt-existing)" : "");
            }
            return ExitCode.OK.code();
        }

        private static Map<Long, Long> counts(java.sql.Connection c, String sql) throws SQLException {
            Map<Long, Long> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return out;
        }

        private static long single(java.sql.Connection c, String sql) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new master key, re-wrap every data key with it (no file content is rewritten), "
                    + "then drop the old keys nothing uses. The server must be stopped.")
    static final class Rotate extends AdminCommand {
        @Override
        int run(PrintWriter out) throws Exception {
            MasterKey old = master(admin);
            Path dataDir = admin.dataDir();
            try (DataDirLock lock = acquire(dataDir); Database db = admin.openDatabase()) {
                refuseBesideServers(db, "nothing was changed");
                MasterKey rotated = old.rotated();
                out.println("added master key " + Integer.toUnsignedString(rotated.primaryId()) + " (primary)");
                DataKeys keys = new DataKeys(db, rotated);
                long rewrapped;
                try {
                    rewrapped = keys.rewrap(rotated);
                } catch (IntegrityException e) {
                    throw new AdminException(e.getMessage() + "; nothing dropped, the old keys are still in "
                            + rotated.file());
                }
                out.println("re-wrapped " + rewrapped + " data keys");
                // A server started meanwhile (with either copy of the key file) may wrap new files
                // with the old key: keep it then, rather than leave them unreadable.
                refuseBesideServers(db, "the new key is primary and every data key re-wrapped, but no key was dropped;"
                        + " stop every server and run keys rotate again to drop the old one");
                Map<Long, Long> left = keys.countsByMasterKey();
                MasterKey current = rotated;
                for (int id : rotated.keyIds()) {
                    if (id != rotated.primaryId() && left.getOrDefault(Integer.toUnsignedLong(id), 0L) == 0) {
                        current = current.without(id);
                        out.println("dropped master key " + Integer.toUnsignedString(id) + ": nothing uses it");
                    }
                }
                out.println("master key file " + current.file().toAbsolutePath() + " now holds "
                        + current.keyIds().size() + " key(s): replace every copy of it");
            }
            return ExitCode.OK.code();
        }

        /**
         * Refuses while a server runs on the database on any machine (PostgreSQL: a heartbeat in
         * {@code servers}): it keeps the master key in memory and would go on wrapping new files
         * with the old key, which this command may drop.
         */
        private static void refuseBesideServers(Database db, String state) throws Exception {
            List<String> live = ClusterPresence.liveServers(db, Clock.systemUTC());
            if (!live.isEmpty()) {
                throw new AdminException(live.size() + " server(s) run on this database (" + String.join(", ", live)
                        + "): stop them all first, they keep the master key in memory; " + state);
            }
        }

        private static DataDirLock acquire(Path dataDir) throws Exception {
            try {
                return DataDirLock.acquire(dataDir);
            } catch (DataDirLock.LockedException e) {
                throw new AdminException("a server is using " + dataDir.toAbsolutePath() + ": stop it first (it keeps the"
                        + " master key in memory and would go on wrapping new files with the old key)");
            }
        }
    }

    @Command(name = "encrypt-existing", mixinStandardHelpOptions = true,
            description = "Encrypt the files stored before encryption at rest, in place, while the server runs. "
                    + "Crash-safe (kill it at any moment: every file stays readable); run it again to go on.")
    static final class EncryptExistingCommand extends AdminCommand {
        @Override
        int run(PrintWriter out) throws Exception {
            MasterKey master;
            try {
                master = MasterKey.loadOrCreate(admin.masterKeyFile());
            } catch (IOException e) {
                throw new AdminException(e.getMessage());
            }
            try (Database db = admin.openDatabase()) {
                EncryptExisting.Result result = new EncryptExisting(db, new LocalBlobStore(admin.dataDir()),
                        new DataKeys(db, master)).run(line -> {
                            out.println(line);
                            out.flush();
                        });
                result.problems().forEach(p -> err().println("netdisk-server keys encrypt-existing: " + p));
                out.printf("done: %d files encrypted (%.1f MiB), %d left as they were%n", result.encrypted(),
                        result.bytes() / 1048576.0, result.problems().size());
                return result.problems().isEmpty() ? ExitCode.OK.code() : ExitCode.FAILURE.code();
            }
        }
    }
}
