package dev.netdisk.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's migration runner: one list of versions ({@link Database#MIGRATIONS}), a script per
 * version and dialect ({@code db/migration/V0xx__name.sql} for SQLite, the same name under
 * {@code db/migration/postgresql/} for PostgreSQL).
 *
 * <p>SQLite keeps the version in {@code PRAGMA user_version} and migrates under its one writer.
 * PostgreSQL keeps it in the one-row table {@code schema_version} and migrates in one transaction
 * holding {@code pg_advisory_xact_lock}: servers started at once on a fresh database wait for the
 * first, then find the schema current, so it is migrated once. DDL is transactional in both, so
 * a failed script leaves the previous version.
 */
final class Migrations {

    /** The advisory lock key of migrating (any constant; "netdisk" in ASCII). */
    private static final long LOCK_KEY = 0x6e65746469736bL;

    private Migrations() {
    }

    /** Brings {@code db}'s schema to the newest version. */
    static void migrate(Database db) throws SQLException {
        if (db.dialect() == Dialect.SQLITE) {
            db.transaction(c -> {
                int version = version(Dialect.SQLITE, c);
                for (int i = version; i < Database.MIGRATIONS.size(); i++) {
                    try (Statement st = c.createStatement()) {
                        run(st, Dialect.SQLITE, i);
                        st.execute("PRAGMA user_version = " + (i + 1));
                    }
                }
                return null;
            });
            return;
        }
        db.withConnection(c -> {
            c.setAutoCommit(false);
            // READ COMMITTED: the version is read after the lock is held, so a server that waited
            // sees what the first one committed (a SERIALIZABLE snapshot would be older than that).
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                st.execute("CREATE TABLE IF NOT EXISTS schema_version (one_row BOOLEAN PRIMARY KEY DEFAULT TRUE"
                        + " CHECK (one_row), version INTEGER NOT NULL)");
                st.execute("INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING");
                int version = version(Dialect.POSTGRESQL, c);
                for (int i = version; i < Database.MIGRATIONS.size(); i++) {
                    run(st, Dialect.POSTGRESQL, i);
                    st.execute("UPDATE schema_version SET version = " + (i + 1));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    private static void run(Statement st, Dialect dialect, int index) throws SQLException {
        String script = Database.MIGRATIONS.get(index);
        for (String sql : statements(dialect, script)) {
            try {
                st.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("migration " + script + " (" + dialect + ") failed: " + e.getMessage(),
                        e.getSQLState(), e);
            }
        }
    }

    /** The schema version of the database {@code c} belongs to: 0 for an empty one. */
    static int version(Dialect dialect, Connection c) throws SQLException {
        String sql = "PRAGMA user_version";
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return 0;
                }
            }
            sql = "SELECT version FROM schema_version";
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * The statements of a migration script: split at semicolons that end a line, except inside a
     * {@code $$}-quoted body (a PostgreSQL function); comment lines dropped.
     */
    static List<String> statements(Dialect dialect, String resource) {
        String script;
        try (InputStream in = Migrations.class.getResourceAsStream("/" + dialect.scripts() + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + dialect.scripts() + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (!quoted && (trimmed.startsWith("--") || trimmed.isEmpty())) {
                continue;
            }
            current.append(line).append('\n');
            for (int at = line.indexOf("$$"); at >= 0; at = line.indexOf("$$", at + 2)) {
                quoted = !quoted;
            }
            if (!quoted && trimmed.endsWith(";")) {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString());
        }
        return out;
    }
}
