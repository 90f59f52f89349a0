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
}
