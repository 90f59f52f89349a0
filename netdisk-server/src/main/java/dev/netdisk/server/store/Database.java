package dev.netdisk.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * The metadata database: one SQLite file in WAL mode, a small fixed pool of connections, and the
 * schema migrations.
 *
 * <p>Each connection is used by one thread at a time: {@link #read} and {@link #transaction} borrow
 * one and give it back. Write transactions begin {@code IMMEDIATE}, so a read-then-write never
 * fails with {@code SQLITE_BUSY} half-way (see {@code shared/LIBRARIES.md}, pitfall 6), and they
 * run one at a time, queued on a Java lock rather than in SQLite's busy handler. Every write goes
 * through {@link #transaction}; {@link #read} runs only queries.
 *
 * <p>Blocking: never call from the selector thread.
 */
public final class Database implements AutoCloseable {

    /** The migrations, in order; migration {@code i} (from 1) brings the schema to version {@code i}. */
    static final List<String> MIGRATIONS = List.of("V001__initial.sql", "V002__user_admin.sql", "V003__chat.sql",
            "V004__files.sql", "V005__usage_totals.sql", "V006__conversation_chain.sql",
            "V007__inline_blobs.sql", "V008__read_markers.sql", "V009__group_roles.sql",
            "V010__entries_and_chat_totals.sql", "V011__data_keys.sql", "V012__trash_ids_never_reused.sql",
            "V013__cluster_state.sql");

    /** Work done with a borrowed connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * The prepared statements of each pooled connection, by SQL text. The inner map is touched only
     * by the thread that has borrowed its connection, so it needs no lock.
     */
    private static final Map<Connection, Map<String, PreparedStatement>> PREPARED = new ConcurrentHashMap<>();

    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    /** Held for the whole of each {@link #transaction}: the one writer SQLite allows. */
    private final ReentrantLock writer = new ReentrantLock();

    private Database(BlockingQueue<Connection> pool) {
        this.pool = pool;
    }

    /**
     * Opens (creating if missing) the database at {@code file} and migrates its schema to the
     * newest version.
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

        Database db = new Database(new ArrayBlockingQueue<>(poolSize));
        try {
            for (int i = 0; i < poolSize; i++) {
                Connection c = config.createConnection(url);
                db.all.add(c);
                PREPARED.put(c, new HashMap<>());
                db.pool.add(c);
            }
            db.migrate();
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Runs {@code work} in autocommit mode: each statement is its own transaction. */
    public <T> T read(Work<T> work) throws SQLException {
        Connection c = borrow();
        try {
            return work.run(c);
        } finally {
            pool.add(c);
        }
    }

    /**
     * Runs {@code work} in one IMMEDIATE transaction: committed when it returns, rolled back when
     * it throws (the exception is rethrown). One transaction runs at a time: callers queue on a
     * Java lock, in order, before they touch SQLite.
     *
     * <p>Why the lock: SQLite lets one writer in at a time anyway, and a connection that finds the
     * write lock taken waits in its busy handler, which sleeps milliseconds between polls, so a
     * transaction waited milliseconds for a lock freed microseconds after it began waiting. A
     * queued thread is woken as the holder leaves (docs/PERFORMANCE.md, "Why the code is shaped this way").
     *
     * @throws SQLException from {@code work}, from {@code COMMIT} (the transaction is rolled
     *                      back), or when interrupted while waiting for the lock or a connection
     */
    public <T> T transaction(Work<T> work) throws SQLException {
        return transaction(work, false);
    }

    private <T> T transaction(Work<T> work, boolean durable) throws SQLException {
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
                pool.add(c);
            }
        } finally {
            writer.unlock();
        }
    }

    /**
     * {@link #transaction}, made durable before it returns: its commit syncs the WAL
     * ({@code synchronous = FULL} for this transaction). The others run at {@code NORMAL}, which
     * survives a crash of the process but may lose the last commits on a power failure. For the
     * commits behind a reply that promises durability, such as an upload's {@code 226}.
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
     * connection and reused: parsing the SQL cost as much as running a path lookup's query.
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

    /** The schema version ({@code PRAGMA user_version}). */
    public int schemaVersion() throws SQLException {
        return read(Database::userVersion);
    }

    private void migrate() throws SQLException {
        transaction(c -> {
            int version = userVersion(c);
            for (int i = version; i < MIGRATIONS.size(); i++) {
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(MIGRATIONS.get(i))) {
                        st.execute(sql);
                    }
                    st.execute("PRAGMA user_version = " + (i + 1));
                }
            }
            return null;
        });
    }

    private static int userVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** The statements of a migration script: split at semicolons that end a line; comments dropped. */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = Database.class.getResourceAsStream("/db/migration/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString());
        }
        return out;
    }

    private Connection borrow() throws SQLException {
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted waiting for a database connection", e);
        }
    }

    /** Closes every connection; a checkpoint folds the WAL back into the database file. */
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
    }
}
