package dev.netdisk.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aNewDatabaseIsMigratedToTheNewestSchemaVersion() throws SQLException {
        try (Database db = Database.open(dir.resolve("netdisk.db"), 2)) {
            assertThat(db.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            assertThat(tables(db)).contains("users", "sessions", "nodes", "partial_uploads");
        }
    }

    @Test
    void reopeningDoesNotRunTheMigrationsAgain() throws SQLException {
        Path file = dir.resolve("netdisk.db");
        try (Database db = Database.open(file, 1)) {
            db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO users (name, password_hash, password_salt, password_iterations, created_at)"
                            + " VALUES ('alice', x'00', x'00', 1000, 0)");
                }
                return null;
            });
        }
        // A second run of V001 would fail on CREATE TABLE users, and would not keep alice.
        try (Database db = Database.open(file, 1)) {
            assertThat(db.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            String name = db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM users")) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
            assertThat(name).isEqualTo("alice");
        }
    }

    @Test
    void aFailedTransactionIsRolledBack() throws SQLException {
        try (Database db = Database.open(dir.resolve("netdisk.db"), 1)) {
            try {
                db.transaction(c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("INSERT INTO users (name, password_hash, password_salt, password_iterations, created_at)"
                                + " VALUES ('bob', x'00', x'00', 1000, 0)");
                        st.execute("INSERT INTO no_such_table VALUES (1)");
                    }
                    return null;
                });
            } catch (SQLException expected) {
                // the second statement fails
            }
            int users = db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM users")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(users).isZero();
        }
    }

    @Test
    void aTransactionWhoseCommitFailsIsRolledBackAndLeavesTheWriteLockFree() throws SQLException {
        try (Database db = Database.open(dir.resolve("netdisk.db"), 1)) {
            // A deferred foreign key is checked at COMMIT: the COMMIT fails and SQLite keeps the
            // transaction open, the case where the connection would hold the write lock for good.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA defer_foreign_keys = ON");
                    st.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
                            + " VALUES (x'01', 42, 0, 0)");
                }
                return null;
            })).isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");

            assertThat(count(db, "sessions")).isZero();
            // Another process (a fresh connection that will not wait at all) can write at once.
            try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("netdisk.db"));
                 Statement st = other.createStatement()) {
                st.execute("PRAGMA busy_timeout = 0");
                st.execute("BEGIN IMMEDIATE");
                st.execute("ROLLBACK");
            }
            // And the pooled connection takes the next transaction.
            db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO users (name, password_hash, password_salt, password_iterations, created_at)"
                            + " VALUES ('carol', x'00', x'00', 1000, 0)");
                }
                return null;
            });
            assertThat(count(db, "users")).isEqualTo(1);
        }
    }

    @Test
    void transactionsFromManyThreadsAllCommit() throws Exception {
        try (Database db = Database.open(dir.resolve("netdisk.db"), 4)) {
            int threads = 8;
            int each = 25;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            String name = "u" + thread + "-" + i;
                            db.transaction(c -> {
                                // read-then-write: the shape that fails with SQLITE_BUSY when two
                                // writers interleave
                                int before = count(c, "users");
                                try (var ps = c.prepareStatement("INSERT INTO users (name, password_hash,"
                                        + " password_salt, password_iterations, created_at) VALUES (?, x'00', x'00', 1000, ?)")) {
                                    ps.setString(1, name);
                                    ps.setInt(2, before);
                                    ps.executeUpdate();
                                }
                                return null;
                            });
                        }
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(count(db, "users")).isEqualTo(threads * each);
            // Each transaction saw every earlier one: created_at counts 0, 1, 2, ... with no repeats.
            int distinct = db.read(c -> {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(DISTINCT created_at) FROM users")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(distinct).isEqualTo(threads * each);
        }
    }

    private static int count(Database db, String table) throws SQLException {
        return db.read(c -> count(c, table));
    }

    private static int count(java.sql.Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void migrationScriptsSplitIntoStatementsWithoutComments() {
        List<String> statements = Database.statements(Database.MIGRATIONS.get(0));
        assertThat(statements).isNotEmpty().allSatisfy(s -> assertThat(s.strip()).endsWith(";").doesNotStartWith("--"));
    }

    private static List<String> tables(Database db) throws SQLException {
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    @Test
    void theUsageTotalsMigrationCountsTheDataAlreadyThere() throws SQLException {
        Path file = dir.resolve("netdisk.db");
        // A database as the server before V005 left it: alice has 3 + 4 bytes live and 5 + 6 in the trash.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String script : Database.MIGRATIONS.subList(0, 4)) {
                for (String sql : Database.statements(script)) {
                    st.execute(sql);
                }
            }
            st.execute("PRAGMA user_version = 4");
            st.execute("INSERT INTO users (id, name, password_hash, password_salt, password_iterations, created_at)"
                    + " VALUES (1, 'alice', x'00', x'00', 1000, 0), (2, 'bob', x'00', x'00', 1000, 0)");
            st.execute("INSERT INTO nodes (id, owner_id, parent_id, name, is_dir, size, mtime) VALUES"
                    + " (1, 1, NULL, '', 1, 0, 0), (2, 1, 1, 'a', 0, 3, 0), (3, 1, 1, 'd', 1, 0, 0),"
                    + " (4, 1, 3, 'b', 0, 4, 0), (5, 1, NULL, 'gone', 1, 0, 0), (6, 1, 5, 'c', 0, 5, 0),"
                    + " (7, 1, NULL, 'f', 0, 6, 0), (8, 2, NULL, '', 1, 0, 0)");
            st.execute("INSERT INTO trash (owner_id, node_id, original_path, deleted_at) VALUES"
                    + " (1, 5, '/gone', 0), (1, 7, '/f', 0)");
        }
        try (Database db = Database.open(file, 1)) {
            Quotas quotas = new Quotas(db, 1000);
            assertThat(quotas.usage(1)).isEqualTo(new Quotas.Usage(18, 11, 1000)).isEqualTo(quotas.recount(1));
            assertThat(quotas.usage(2)).isEqualTo(new Quotas.Usage(0, 0, 1000));
            // From here on the triggers keep them.
            db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("UPDATE nodes SET size = 10 WHERE id = 2");
                    st.execute("DELETE FROM trash WHERE node_id = 7");
                    st.execute("DELETE FROM nodes WHERE id = 7");
                }
                return null;
            });
            assertThat(quotas.usage(1)).isEqualTo(new Quotas.Usage(19, 5, 1000)).isEqualTo(quotas.recount(1));
        }
    }
    @Test
    void theTrashIdsMigrationKeepsTheItemsAndTheirTotalsAndNeverGivesAnIdAgain() throws SQLException {
        Path file = dir.resolve("netdisk.db");
        int before = Database.MIGRATIONS.indexOf("V012__trash_ids_never_reused.sql");
        // A database as the server before V012 left it: alice has two trash items, 5 and 6 bytes.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String script : Database.MIGRATIONS.subList(0, before)) {
                for (String sql : Database.statements(script)) {
                    st.execute(sql);
                }
            }
            st.execute("PRAGMA user_version = " + before);
            st.execute("INSERT INTO users (id, name, password_hash, password_salt, password_iterations, created_at)"
                    + " VALUES (1, 'alice', x'00', x'00', 1000, 0)");
            st.execute("INSERT INTO nodes (id, owner_id, parent_id, name, is_dir, size, mtime) VALUES"
                    + " (1, 1, NULL, '', 1, 0, 0), (5, 1, NULL, 'gone', 1, 0, 0), (6, 1, 5, 'c', 0, 5, 0),"
                    + " (7, 1, NULL, 'f', 0, 6, 0), (8, 1, NULL, 'g', 0, 1, 0)");
            st.execute("INSERT INTO trash (id, owner_id, node_id, original_path, deleted_at, bytes) VALUES"
                    + " (3, 1, 5, '/gone', 0, 5), (4, 1, 7, '/f', 0, 6)");
        }
        try (Database db = Database.open(file, 1)) {
            Quotas quotas = new Quotas(db, 1000);
            assertThat(quotas.usage(1)).isEqualTo(new Quotas.Usage(12, 11, 1000)).isEqualTo(quotas.recount(1));
            long next = db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("DELETE FROM trash WHERE id = 4");  // a restore of the newest item
                    st.execute("INSERT INTO trash (owner_id, node_id, original_path, deleted_at, bytes)"
                            + " VALUES (1, 8, '/g', 0, 1)");
                    ResultSet rs = st.executeQuery("SELECT last_insert_rowid()");
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(next).as("4 was given before: never again").isEqualTo(5);
            assertThat(quotas.usage(1)).isEqualTo(new Quotas.Usage(12, 6, 1000)).isEqualTo(quotas.recount(1));
        }
    }

    @Test
    void theConversationChainMigrationLinksTheMessagesAlreadyThere() throws SQLException {
        Path file = dir.resolve("netdisk.db");
        // A database as the server before V006 left it: two conversations interleaved, and a group message.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String script : Database.MIGRATIONS.subList(0, 5)) {
                for (String sql : Database.statements(script)) {
                    st.execute(sql);
                }
            }
            st.execute("PRAGMA user_version = 5");
            st.execute("INSERT INTO users (id, name, password_hash, password_salt, password_iterations, created_at)"
                    + " VALUES (1, 'alice', x'00', x'00', 1000, 0), (2, 'bob', x'00', x'00', 1000, 0),"
                    + " (3, 'carol', x'00', x'00', 1000, 0)");
            st.execute("INSERT INTO chat_groups (id, name, owner_id, created_at) VALUES (1, 'team', 1, 0)");
            st.execute("INSERT INTO messages (id, sender_id, recipient_id, group_id, body, sent_at) VALUES"
                    + " (10, 1, 2, NULL, 'a>b', 0), (11, 3, 1, NULL, 'c>a', 0), (12, 2, 1, NULL, 'b>a', 0),"
                    + " (13, 1, NULL, 1, 'team', 0), (14, 1, 2, NULL, 'a>b again', 0)");
        }
        try (Database db = Database.open(file, 1)) {
            db.read(c -> {
                try (Statement st = c.createStatement()) {
                    ResultSet rs = st.executeQuery("SELECT id, prev_id FROM messages ORDER BY id");
                    List<String> chain = new ArrayList<>();
                    while (rs.next()) {
                        long prev = rs.getLong(2);
                        String from = rs.wasNull() ? "none" : Long.toString(prev);
                        chain.add(rs.getLong(1) + "<-" + from);
                    }
                    assertThat(chain).containsExactly("10<-none", "11<-none", "12<-10", "13<-none", "14<-12");
                    rs = st.executeQuery("SELECT user_low, user_high, last_id FROM conversations ORDER BY user_low, user_high");
                    List<String> conversations = new ArrayList<>();
                    while (rs.next()) {
                        conversations.add(rs.getLong(1) + "," + rs.getLong(2) + "=" + rs.getLong(3));
                    }
                    assertThat(conversations).containsExactly("1,2=14", "1,3=11");
                }
                return null;
            });
        }
    }
}
