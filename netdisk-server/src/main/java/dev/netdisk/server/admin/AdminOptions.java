package dev.netdisk.server.admin;

import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.ConfigException;
import dev.netdisk.server.config.ConfigFile;
import dev.netdisk.server.config.Values;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every administration command shares: which data directory (and pid file) it is
 * about, given directly or through the server's own configuration file, so that
 * {@code netdisk-server user list --config /etc/netdisk/netdisk-server.properties} finds what the
 * server uses.
 */
final class AdminOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "The server's configuration file (for data-dir, pid-file).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data directory (default: ./netdisk-data).")
    Path dataDir;

    @Option(names = "--master-key-file", paramLabel = "FILE",
            description = "The master key of encryption at rest (default: the config file's master-key-file, else DATA_DIR/keys/master.json).")
    Path masterKeyFile;

    @Option(names = "--database", paramLabel = "URL",
            description = "The server's metadata database: jdbc:postgresql://HOST[:PORT]/DB (user and password in the URL"
                    + " or PGUSER/PGPASSWORD); default: the config file's database, else SQLite in the data directory.")
    String database;

    private ConfigFile loaded;

    ConfigFile file() throws ConfigException {
        if (loaded == null) {
            loaded = config == null ? ConfigFile.none() : ConfigFile.load(config);
        }
        return loaded;
    }

    /** The data directory: the option, else the file's {@code data-dir}, else the default. */
    Path dataDir() throws ConfigException {
        return dataDir != null ? dataDir : file().path("data-dir").orElse(Path.of(ServerConfig.DEFAULT_DATA_DIR));
    }

    /** The master key: the option, else the file's {@code master-key-file}, else {@code DATA_DIR/keys/master.json}. */
    Path masterKeyFile() throws ConfigException {
        if (masterKeyFile != null) {
            return masterKeyFile;
        }
        Optional<Path> fromFile = file().path("master-key-file");
        return fromFile.isPresent() ? fromFile.get() : MasterKey.defaultFile(dataDir());
    }

    /** The pid file from the configuration file, if any. */
    Optional<Path> pidFile() throws ConfigException {
        return file().path("pid-file");
    }

    /** PBKDF2 iterations for passwords set by an administrator, as the server would use. */
    int passwordIterations() throws ConfigException {
        return file().get("password-iterations", s -> Values.atLeast(s, 1_000))
                .orElse(ServerConfig.DEFAULT_PASSWORD_ITERATIONS);
    }

    /** The quota of a user without one of their own, as the server would use it (default-quota-mib). */
    long defaultQuotaBytes() throws ConfigException {
        return file().get("default-quota-mib", s -> (long) Values.atLeast(s, 0) << 20)
                .orElse(dev.netdisk.server.config.StoragePolicy.DEFAULT_QUOTA_BYTES);
    }

    /** {@code --database}, else the file's {@code database}; null means SQLite in the data directory. */
    String database() throws ConfigException {
        return database != null ? database : file().get("database", s -> s).orElse(null);
    }

    /** Whether the server's metadata is in PostgreSQL rather than in the data directory's SQLite file. */
    boolean postgres() throws ConfigException, AdminException {
        try {
            return Dialect.of(database()) == Dialect.POSTGRESQL;
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
    }

    /**
     * Opens the server's existing database (one connection): the SQLite file of the data directory,
     * or the PostgreSQL database of {@link #database()}.
     */
    Database openDatabase() throws ConfigException, AdminException, SQLException {
        if (postgres()) {
            return Database.open(database(), dataDir(), 1, System.getenv());
        }
        return Database.open(existingDatabase(), 1);
    }

    /** The SQLite database of an existing data directory. */
    Path existingDatabase() throws ConfigException, AdminException {
        Path db = dataDir().resolve("netdisk.db");
        if (!Files.isRegularFile(db)) {
            throw new AdminException("no netdisk database in " + dataDir().toAbsolutePath()
                    + " (wrong --data-dir? a server creates it on its first start)");
        }
        return db;
    }
}
