package dev.netdisk.server.store;

import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL engine behind a {@link Database}: SQLite (one file in the data directory, the default) or
 * PostgreSQL (a server shared by any number of netdisk servers).
 *
 * <p>The code's statements are one text for both wherever one text exists (docs/ARCHITECTURE.md,
 * Storage); what differs is how a transaction is run, where the schema version is kept and which
 * migration scripts apply ({@code db/migration/} or {@code db/migration/postgresql/}, same versions).
 */
public enum Dialect {
    SQLITE("db/migration/"),
    POSTGRESQL("db/migration/postgresql/");

    /** The URL prefix of a PostgreSQL database given to {@code --database}. */
    public static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    private final String scripts;

    Dialect(String scripts) {
        this.scripts = scripts;
    }

    /** The resource folder of this dialect's migration scripts, without a leading slash. */
    String scripts() {
        return scripts;
    }

    /**
     * The dialect of a {@code --database} value: null or empty is SQLite in the data directory,
     * {@code jdbc:postgresql:...} is PostgreSQL.
     *
     * @throws IllegalArgumentException for any other value, naming the forms accepted
     */
    public static Dialect of(String url) {
        if (url == null || url.isBlank()) {
            return SQLITE;
        }
        if (url.startsWith(POSTGRESQL_PREFIX)) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL " + redact(url)
                + ": give jdbc:postgresql://HOST[:PORT]/DATABASE, or leave --database out for SQLite in the data directory");
    }

    /**
     * {@code url} fit for a log line or {@code status}: a password given in it
     * ({@code password=...} parameter, or {@code user:password@} before the host) is replaced by
     * {@code ***}.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
        return out.replaceAll("^(jdbc:[a-z]+://[^/@?:]*:)[^/@?]*@", "$1***@");
    }

    /**
     * Whether {@code e} (or an exception chained to it) is a serialization failure or a deadlock
     * (SQLSTATE {@code 40001}, {@code 40P01}): the transaction lost a race and may simply be run again.
     */
    public static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    String state = n.getSQLState();
                    if ("40001".equals(state) || "40P01".equals(state)) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The name shown by {@code status} and the start-up line. */
    public String displayName() {
        return this == SQLITE ? "SQLite" : "PostgreSQL";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
