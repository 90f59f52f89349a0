package dev.netdisk.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The metadata database: SQLite (one file in WAL mode, the default) or PostgreSQL (pgjdbc pooled by
 * HikariCP, shared by any number of servers), a pool of connections, and the schema migrations.
 *
 * <p>Each connection is used by one thread at a time: {@link #read} and {@link #transaction} borrow
 * one and give it back. Every write goes through {@link #transaction}; {@link #read} runs only
 * queries. On SQLite, write transactions begin {@code IMMEDIATE}, so a read-then-write never fails
 * with {@code SQLITE_BUSY} half-way (see {@code shared/LIBRARIES.md}, pitfall 6), and they run one
 * at a time, queued on a Java lock rather than in SQLite's busy handler. On PostgreSQL each
 * transaction runs at {@code SERIALIZABLE} and is run again, whole, when it loses a race
 * (SQLSTATE {@code 40001} or {@code 40P01}): every read-then-write stays as correct as under
 * SQLite's one writer, across processes too. A {@link Work} may therefore run more than once and
 * must have no effect outside the database before it returns (docs/ARCHITECTURE.md, Storage).
 *
 * <p>Blocking: never call from the selector thread.
 */
public final class Database implements AutoCloseable {

    /** The migrations, in order; migration {@code i} (from 1) brings the schema to version {@code i}. */
    static final List<String> MIGRATIONS = List.of("V001__initial.sql", "V002__user_admin.sql", "V003__chat.sql",
            "V004__files.sql", "V005__usage_totals.sql", "V006__conversation_chain.sql",
            "V007__inline_blobs.sql", "V008__read_markers.sql", "V009__group_roles.sql",
            "V010__entries_and_chat_totals.sql", "V011__data_keys.sql", "V012__trash_ids_never_reused.sql",
            "V013__cluster_state.sql", "V014__multipart_uploads.sql", "V015__upload_reservations.sql");

    /** How many times a PostgreSQL transaction that lost a race is run in all before its failure is thrown. */
    static final int MAX_ATTEMPTS = 30;

    /** The SQLite file's name in the data directory. */
    public static final String FILE_NAME = "netdisk.db";

    /** Work done with a borrowed connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * The prepared statements of each borrowed connection, by SQL text: for the life of a SQLite
     * connection, for one borrowing of a PostgreSQL one (pgjdbc keeps the server-side statements
     * across borrowings itself). The inner map is touched only by the thread that has borrowed its
     * connection, so it needs no lock.
     */
    private static final Map<Connection, Map<String, PreparedStatement>> PREPARED = new ConcurrentHashMap<>();

    private final Dialect dialect;
    /** What {@code status} and the log show: the SQLite file, or the PostgreSQL URL without its password. */
    private final String description;
    /** SQLite's connections; null on PostgreSQL. */
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    /** PostgreSQL's connections; null on SQLite. */
    private final PostgresPool postgres;
    /** Held for the whole of each SQLite {@link #transaction}: the one writer SQLite allows. */
    private final ReentrantLock writer = new ReentrantLock();
    /** PostgreSQL transactions run again after a serialization failure or deadlock ({@link #retries}). */
    private final java.util.concurrent.atomic.AtomicLong retries = new java.util.concurrent.atomic.AtomicLong();

    private Database(Dialect dialect, String description, BlockingQueue<Connection> pool, PostgresPool postgres) {
        this.dialect = dialect;
        this.description = description;
        this.pool = pool;
        this.postgres = postgres;
    }

    /**
     * Opens (creating if missing) the SQLite database at {@code file} and migrates its schema to
     * the newest version.
     *
     * @param poolSize how many connections to keep (at least 1)
     * @throws SQLException when the file cannot be opened or a migration fails (the failed
     *                      migration is rolled back)
     */
    public static Database open(Path file, int poolSize) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();

        Database db = new Database(Dialect.SQLITE, file.toAbsolutePath().toString(),
                new ArrayBlockingQueue<>(poolSize), null);
        try {
            for (int i = 0; i < poolSize; i++) {
                Connection c = config.createConnection(url);
                db.all.add(c);
                PREPARED.put(c, new HashMap<>());
                db.pool.add(c);
            }
            Migrations.migrate(db);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Opens the database of {@code --database url}: SQLite in {@code dataDir/netdisk.db} when
     * {@code url} is null or empty, PostgreSQL for {@code jdbc:postgresql://...}; migrates it.
     *
     * @param env where {@code PGUSER} and {@code PGPASSWORD} are looked up (normally {@code System.getenv()})
     * @throws IllegalArgumentException for a URL of neither kind
     * @throws SQLException             when it cannot be reached or migrated
     */
    public static Database open(String url, Path dataDir, int poolSize, Map<String, String> env) throws SQLException {
        if (Dialect.of(url) == Dialect.SQLITE) {
            return open(dataDir.resolve(FILE_NAME), poolSize);
        }
        Database db = new Database(Dialect.POSTGRESQL, Dialect.redact(url), null,
                PostgresPool.open(url, poolSize, env));
        try {
            Migrations.migrate(db);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * The connection properties (user, password) that the pool adds to a PostgreSQL {@code url}
     * from {@code PGUSER}/{@code PGPASSWORD}, for a connection of its own outside the pool (the
     * event bus's {@code LISTEN}); empty for a URL that carries both, or for SQLite.
     */
    public static java.util.Properties credentials(String url, Map<String, String> env) {
        return url != null && url.startsWith(Dialect.POSTGRESQL_PREFIX) ? PostgresPool.credentials(url, env)
                : new java.util.Properties();
    }

    /** Which engine this is. */
    public Dialect dialect() {
        return dialect;
    }

    /** The SQLite file, or the PostgreSQL URL without its password: for {@code status} and the log. */
    public String description() {
        return description;
    }

    /**
     * How many times since the start a {@link #transaction} was run again because PostgreSQL failed
     * an attempt with a serialization failure ({@code 40001}) or a deadlock ({@code 40P01}): the
     * work that several servers' conflicts cost. Always 0 on SQLite.
     */
    public long retries() {
        return retries.get();
    }

    /** {@link PostgresTransactions}: an attempt lost a race and will run again. */
    void retrying() {
        retries.incrementAndGet();
    }

    /** Runs {@code work} in autocommit mode: each statement is its own transaction. */
    public <T> T read(Work<T> work) throws SQLException {
        return withConnection(work);
    }

    /** Runs {@code work} with a borrowed connection as it is, for the migration runner. */
    <T> T withConnection(Work<T> work) throws SQLException {
        Connection c = borrow();
        try {
            return work.run(c);
        } finally {
            giveBack(c);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
     * (the exception is rethrown).
     *
     * <p>SQLite: an IMMEDIATE transaction, one at a time: callers queue on a Java lock, in order,
     * before they touch SQLite. Why the lock: SQLite lets one writer in at a time anyway, and a
     * connection that finds the write lock taken waits in its busy handler, which sleeps
     * milliseconds between polls, so a transaction waited milliseconds for a lock freed
     * microseconds after it began waiting. A queued thread is woken as the holder leaves
     * (docs/PERFORMANCE.md, "Why the code is shaped this way").
     *
     * <p>PostgreSQL: a SERIALIZABLE transaction, run again (up to {@link #MAX_ATTEMPTS} times in
     * all, after a short random pause) when it fails with a serialization failure or a deadlock, so
     * {@code work} must be safe to run more than once.
     *
     * @throws SQLException from {@code work}, from {@code COMMIT} (the transaction is rolled
     *                      back), or when interrupted while waiting for the lock or a connection
     */
    public <T> T transaction(Work<T> work) throws SQLException {
        return transaction(work, false);
    }

    private <T> T transaction(Work<T> work, boolean durable) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            return PostgresTransactions.run(this, work, durable);
        }
        try {
            writer.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted waiting for the database's write lock", e);
        }
        try {
            Connection c = borrow();
            try {
                if (!durable) {
                    return inTransaction(c, work);
                }
                // The safety level cannot change inside a transaction: set it around this one.
                synchronous(c, "FULL");
                try {
                    return inTransaction(c, work);
                } finally {
                    synchronous(c, "NORMAL");
                }
            } finally {
                giveBack(c);
            }
        } finally {
            writer.unlock();
        }
    }

    /**
     * {@link #transaction}, made durable before it returns. On SQLite its commit syncs the WAL
     * ({@code synchronous = FULL} for this transaction); the others run at {@code NORMAL}, which
     * survives a crash of the process but may lose the last commits on a power failure. On
     * PostgreSQL its commit waits for the WAL flush ({@code synchronous_commit} on, the server's
     * default); the others set it off for themselves, which a crash of the netdisk server never
     * loses but one of the PostgreSQL server's machine may. For the commits behind a reply that
     * promises durability, such as an upload's {@code 226}.
     *
     * @throws SQLException as {@link #transaction}
     */
    public <T> T durableTransaction(Work<T> work) throws SQLException {
        return transaction(work, true);
    }

    private static void synchronous(Connection c, String level) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous = " + level);
        }
    }

    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false); // BEGIN IMMEDIATE
        T result;
        try {
            result = work.run(c);
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } finally {
                // sqlite-jdbc begins the next transaction right after rollback() (and commit()):
                // end it, or this idle connection would hold the write lock.
                c.setAutoCommit(true);
            }
            throw e;
        }
        try {
            // Commits: JDBC's setAutoCommit(true) commits the open transaction. Unlike commit(),
            // sqlite-jdbc then begins no new one, which would take SQLite's write lock a second time.
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // A failed COMMIT (disk full, I/O error) may leave the transaction open, while
            // sqlite-jdbc already counts the connection as back in auto-commit mode.
            try (Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            } catch (SQLException alreadyEnded) {
                e.addSuppressed(alreadyEnded);
            }
            throw e;
        }
        return result;
    }

    /**
     * The statement for {@code sql} on the borrowed connection {@code c}, prepared once per pooled
     * connection (SQLite) or per borrowing (PostgreSQL) and reused: parsing the SQL cost as much as
     * running a path lookup's query.
     *
     * <p>The caller must not close it, must set every parameter, and must close each result set it
     * opens (that resets the statement; an open one would keep a read transaction, and its WAL
     * snapshot, alive). Not for connections outside a pool (those get a fresh statement each time,
     * which the caller should close as usual, so use this only in hot read paths).
     */
    static PreparedStatement prepared(Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> statements = PREPARED.get(c);
        if (statements == null) {
            throw new IllegalStateException("not a pooled connection");
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** The schema version: {@code PRAGMA user_version} on SQLite, {@code schema_version} on PostgreSQL. */
    public int schemaVersion() throws SQLException {
        return read(c -> Migrations.version(dialect, c));
    }

    /** The statements of a SQLite migration script (see {@link Migrations#statements}). */
    static List<String> statements(String resource) {
        return Migrations.statements(Dialect.SQLITE, resource);
    }

    Connection borrow() throws SQLException {
        if (postgres != null) {
            Connection c = postgres.borrow();
            PREPARED.put(c, new HashMap<>());
            return c;
        }
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted waiting for a database connection", e);
        }
    }

    void giveBack(Connection c) {
        if (postgres == null) {
            pool.add(c);
            return;
        }
        Map<String, PreparedStatement> statements = PREPARED.remove(c);
        if (statements != null) {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closed with its connection anyway
                }
            }
        }
        postgres.giveBack(c);
    }

    /** Closes every connection; on SQLite a checkpoint folds the WAL back into the database file. */
    @Override
    public void close() {
        for (Connection c : all) {
            PREPARED.remove(c);
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        all.clear();
        if (postgres != null) {
            postgres.close();
        }
    }
}
