package dev.netdisk.server.ops;

import dev.netdisk.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The metadata half of {@code netdisk-server migrate}: copies the rows of a SQLite database into a
 * PostgreSQL one of the same schema version, with their ids, table by table in foreign-key order,
 * in batches of {@link #BATCH} rows, each batch one transaction.
 *
 * <p>Resumable: every insert is {@code ON CONFLICT DO NOTHING} (a row a killed run committed is
 * not inserted twice, and its triggers do not fire twice), and a table finished is recorded in the
 * bookkeeping table {@link #PROGRESS} and not read again. The usage totals of {@code users}
 * ({@link #TOTALS}) are not copied: the target's triggers add them up as the rows arrive, and
 * {@link #checkTotals} compares them with the source's. Identity sequences are moved past the
 * largest id copied (or SQLite's {@code sqlite_sequence}, for ids never to be reused).
 *
 * <p>Blocking; one thread.
 */
final class MigrateRows {

    /** Rows per transaction. */
    static final int BATCH = 500;
    /** The bookkeeping table of a migration in progress, in the target; dropped when it is done. */
    static final String PROGRESS = "netdisk_migrate_progress";
    /** The tables copied, parents before children. */
    static final List<String> TABLES = List.of("users", "sessions", "nodes", "friend_requests", "friends",
            "chat_groups", "group_members", "messages", "pending_deliveries", "trash", "shares", "share_links",
            "conversations", "inline_blobs", "private_read", "group_read", "group_invites", "group_bans", "data_keys");
    /**
     * The tables not copied: uploads kept for resume (their bytes are not migrated; clients start
     * those uploads again), the state of a running server (data tickets, transfers, upload leases,
     * servers and presence: none, since the source is stopped; failed-login counts, which a restart
     * may forget), and each engine's own schema bookkeeping.
     */
    static final Set<String> NOT_COPIED = Set.of("partial_uploads", "data_tickets", "transfer_gates", "upload_leases",
            "login_failures", "servers", "presence", "schema_version", "flyway_schema_history");
    /** Columns of {@code users} that the target's triggers keep. */
    static final List<String> TOTALS = List.of("used_bytes", "trash_bytes", "entries", "chat_bytes");

    /** Source queries other than {@code SELECT cols FROM table}: parents first, and no row of a kept upload. */
    private static final Map<String, String> SOURCES = Map.of(
            "nodes", "WITH RECURSIVE t(id, depth) AS (SELECT id, 0 FROM nodes WHERE parent_id IS NULL"
                    + " UNION ALL SELECT n.id, t.depth + 1 FROM nodes n JOIN t ON n.parent_id = t.id)"
                    + " SELECT %s FROM nodes JOIN t ON t.id = nodes.id ORDER BY t.depth, nodes.id",
            "inline_blobs", "SELECT %s FROM inline_blobs WHERE blob_id IN (SELECT blob_id FROM nodes)",
            "data_keys", "SELECT %s FROM data_keys WHERE blob_id IN (SELECT blob_id FROM nodes)");

    private final Database source;
    private final Database target;
    private final Consumer<String> progress;

    MigrateRows(Database source, Database target, Consumer<String> progress) {
        this.source = source;
        this.target = target;
        this.progress = progress;
    }

    /** The source's tables that hold rows and that this command neither copies nor knows to leave. */
    List<String> unknownTables() throws SQLException {
        List<String> names = source.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (!TABLES.contains(name) && !NOT_COPIED.contains(name) && !name.startsWith("sqlite_")
                    && count(source, "SELECT COUNT(*) FROM \"" + name + "\"") > 0) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Whether a run into this target began (and has not finished). */
    boolean begun() throws SQLException {
        return target.read(c -> {
            try (ResultSet rs = c.getMetaData().getTables(null, null, PROGRESS, null)) {
                return rs.next();
            }
        });
    }

    /** The source recorded by the run in progress, or null. */
    String recordedSource() throws SQLException {
        return target.read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT done FROM " + PROGRESS + " WHERE item = 'source'")) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /** Records that a run from {@code sourceName} began. */
    void begin(String sourceName) throws SQLException {
        target.transaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + PROGRESS + " (item TEXT PRIMARY KEY, done TEXT NOT NULL)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PROGRESS
                    + " (item, done) VALUES ('source', ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, sourceName);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Drops the bookkeeping: the migration is complete. */
    void finish() throws SQLException {
        target.transaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + PROGRESS);
            }
            return null;
        });
    }

    /** Copies every table not yet done; returns the rows inserted by this run. */
    long copyAll() throws SQLException {
        long inserted = 0;
        for (String table : TABLES) {
            if (isDone(table)) {
                progress.accept("rows of " + table + ": done before");
                continue;
            }
            long n = copy(table);
            target.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PROGRESS
                        + " (item, done) VALUES (?, 'done') ON CONFLICT DO NOTHING")) {
                    ps.setString(1, "table:" + table);
                    return ps.executeUpdate();
                }
            });
            progress.accept("rows of " + table + ": " + n + " copied");
            inserted += n;
        }
        moveSequences();
        return inserted;
    }

    private boolean isDone(String table) throws SQLException {
        return target.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + PROGRESS + " WHERE item = ?")) {
                ps.setString(1, "table:" + table);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Copies one table's rows, in batches; returns how many were new to the target. */
    private long copy(String table) throws SQLException {
        Map<String, Integer> targetTypes = targetColumns(table);
        Set<String> sourceColumns = sourceColumns(table);
        List<String> columns = new ArrayList<>();
        for (String column : targetTypes.keySet()) {
            if (sourceColumns.contains(column) && !(table.equals("users") && TOTALS.contains(column))) {
                columns.add(column);
            }
        }
        String list = String.join(", ", columns.stream().map(col -> table + "." + col).toList());
        String select = String.format(SOURCES.getOrDefault(table, "SELECT %s FROM " + table), list);
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(col -> "?").toList()) + ") ON CONFLICT DO NOTHING";
        int[] types = columns.stream().mapToInt(targetTypes::get).toArray();
        long[] inserted = {0};
        source.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(select)) {
                List<Object[]> batch = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[types.length];
                    for (int i = 0; i < types.length; i++) {
                        row[i] = value(rs, i + 1, types[i]);
                    }
                    batch.add(row);
                    if (batch.size() == BATCH) {
                        inserted[0] += insert(insert, types, batch);
                        batch.clear();
                    }
                }
                inserted[0] += insert(insert, types, batch);
            }
            return null;
        });
        return inserted[0];
    }

    private static Object value(ResultSet rs, int column, int type) throws SQLException {
        Object v = switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> rs.getLong(column);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> rs.getBytes(column);
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : v;
    }

    private long insert(String sql, int[] types, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        return target.transaction(c -> {
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < types.length; i++) {
                        if (row[i] == null) {
                            ps.setNull(i + 1, types[i]);
                        } else if (row[i] instanceof Long l) {
                            ps.setLong(i + 1, l);
                        } else if (row[i] instanceof byte[] b) {
                            ps.setBytes(i + 1, b);
                        } else {
                            ps.setString(i + 1, (String) row[i]);
                        }
                    }
                    ps.addBatch();
                }
                for (int count : ps.executeBatch()) {
                    n += Math.max(count, 0);
                }
            }
            return n;
        });
    }

    /** The target table's columns and their JDBC types, in table order. */
    private Map<String, Integer> targetColumns(String table) throws SQLException {
        return target.read(c -> {
            Map<String, Integer> out = new java.util.LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.put(md.getColumnName(i), md.getColumnType(i));
                }
            }
            return out;
        });
    }

    private Set<String> sourceColumns(String table) throws SQLException {
        return source.read(c -> {
            Set<String> out = new LinkedHashSet<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (rs.next()) {
                    out.add(rs.getString("name"));
                }
            }
            return out;
        });
    }

    /**
     * Moves each identity sequence of a copied table past its largest id, and past the largest id
     * SQLite ever gave ({@code sqlite_sequence}, kept for tables whose ids are never reused).
     */
    private void moveSequences() throws SQLException {
        Map<String, Long> given = new HashMap<>();
        source.read(c -> {
            try (Statement st = c.createStatement()) {
                try (ResultSet t = st.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")) {
                    if (!t.next()) {
                        return null;
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT name, seq FROM sqlite_sequence")) {
                    while (rs.next()) {
                        given.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return null;
        });
        target.transaction(c -> {
            List<String[]> identities = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name, column_name"
                    + " FROM information_schema.columns WHERE is_identity = 'YES' AND table_schema = current_schema()")) {
                while (rs.next()) {
                    identities.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] identity : identities) {
                if (!TABLES.contains(identity[0])) {
                    continue;
                }
                long max = count(c, "SELECT COALESCE(MAX(" + identity[1] + "), 0) FROM " + identity[0]);
                long next = Math.max(max, given.getOrDefault(identity[0], 0L));
                if (next > 0) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?)")) {
                        ps.setString(1, identity[0]);
                        ps.setString(2, identity[1]);
                        ps.setLong(3, next);
                        ps.executeQuery().close();
                    }
                }
            }
            return null;
        });
    }

    /**
     * The users whose usage totals differ between source and target, one line each, empty when
     * they all agree.
     */
    List<String> checkTotals() throws SQLException {
        Map<Long, long[]> expected = totals(source);
        Map<Long, long[]> actual = totals(target);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : expected.entrySet()) {
            long[] got = actual.get(e.getKey());
            for (int i = 0; i < TOTALS.size(); i++) {
                if (got == null || got[i] != e.getValue()[i]) {
                    differences.add("user id " + e.getKey() + ": " + TOTALS.get(i) + " is " + (got == null ? "missing"
                            : got[i]) + " in the target, " + e.getValue()[i] + " in the source");
                }
            }
        }
        return differences;
    }

    private static Map<Long, long[]> totals(Database db) throws SQLException {
        return db.read(c -> {
            Map<Long, long[]> out = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, " + String.join(", ", TOTALS) + " FROM users")) {
                while (rs.next()) {
                    long[] t = new long[TOTALS.size()];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = rs.getLong(i + 2);
                    }
                    out.put(rs.getLong(1), t);
                }
            }
            return out;
        });
    }

    static long count(Database db, String sql) throws SQLException {
        return db.read(c -> count(c, sql));
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
