package dev.netdisk.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The connections of a PostgreSQL {@link Database}: pgjdbc pooled by HikariCP.
 *
 * <p>The user and password come from the URL ({@code ?user=...&password=...}) or, when it names
 * none, from {@code PGUSER} and {@code PGPASSWORD} as for {@code psql}. Neither is ever logged:
 * messages name the database by {@link Dialect#redact}. Thread-safe.
 */
final class PostgresPool implements AutoCloseable {

    private final HikariDataSource source;

    private PostgresPool(HikariDataSource source) {
        this.source = source;
    }

    /**
     * Connects to {@code url} with up to {@code size} connections.
     *
     * @throws SQLException when no connection can be made (wrong host, database, user or password)
     */
    static PostgresPool open(String url, int size, Map<String, String> env) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        Properties credentials = credentials(url, env);
        if (credentials.containsKey("user")) {
            config.setUsername(credentials.getProperty("user"));
        }
        if (credentials.containsKey("password")) {
            config.setPassword(credentials.getProperty("password"));
        }
        config.setPoolName("netdisk-db");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 2));
        config.setAutoCommit(true);
        // Fail at start-up with the driver's reason, not later at the first command.
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(30_000);
        config.addDataSourceProperty("ApplicationName", "netdisk-server");
        try {
            return new PostgresPool(new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SQLException("cannot connect to " + Dialect.redact(url) + ": " + cause.getMessage(),
                    cause instanceof SQLException s ? s.getSQLState() : null, cause);
        }
    }

    /**
     * The user and password to add to {@code url}'s own (pgjdbc connection properties {@code user},
     * {@code password}): {@code PGUSER} and {@code PGPASSWORD} from {@code env}, each only when the
     * URL does not carry it, as {@code psql} does.
     */
    static Properties credentials(String url, Map<String, String> env) {
        Properties p = new Properties();
        if (!url.matches("(?i).*[?&]user=.*") && env.get("PGUSER") != null) {
            p.setProperty("user", env.get("PGUSER"));
        }
        if (!url.matches("(?i).*[?&]password=.*") && env.get("PGPASSWORD") != null) {
            p.setProperty("password", env.get("PGPASSWORD"));
        }
        return p;
    }

    Connection borrow() throws SQLException {
        return source.getConnection();
    }

    /** Gives {@code c} back: the pool rolls back what is open and resets auto-commit and isolation. */
    void giveBack(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool evicts a broken connection itself
        }
    }

    @Override
    public void close() {
        source.close();
    }
}
