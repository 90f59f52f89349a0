package dev.netdisk.server.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (zonky's embedded binaries), started by the first test that asks
 * and stopped when the JVM exits; each test gets a database of its own with the cluster tables
 * (migration V013's PostgreSQL script) and the few columns of {@code users} and {@code messages}
 * that they and the catch-up read.
 */
final class PgForTests {

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private PgForTests() {
    }

    private static synchronized EmbeddedPostgres postgres() throws IOException {
        if (postgres == null) {
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            postgres = started;
        }
        return postgres;
    }

    /** A fresh database with the cluster tables; returns its JDBC URL (user postgres, no password). */
    static String freshDatabase() throws IOException, SQLException {
        EmbeddedPostgres pg = postgres();
        String name = "cluster_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = pg.getJdbcUrl("postgres", name);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
            st.execute("CREATE TABLE messages (id BIGINT PRIMARY KEY, recipient_id BIGINT)");
            st.execute(script("/db/migration/postgresql/V013__cluster_state.sql"));
        }
        return url;
    }

    private static String script(String resource) {
        try (InputStream in = PgForTests.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new connection to {@code url}. */
    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Runs SQL with no result on {@code url}. */
    static void execute(String url, String sql) throws SQLException {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
