package dev.netdisk.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one migration runner on both dialects: the same versions make the same tables and columns,
 * and servers started at once on an empty PostgreSQL database migrate it once.
 */
@Timeout(120)
class PostgresMigrationTest {

    @TempDir
    Path dir;

    @Test
    void bothDialectsReachTheSameVersionWithTheSameTablesAndColumns() throws Exception {
        String url = TestPostgres.emptyDatabase();
        try (Database sqlite = Database.open(dir.resolve("netdisk.db"), 1);
             Database postgres = Database.open(url, dir, 1, Map.of())) {
            assertThat(postgres.dialect()).isEqualTo(Dialect.POSTGRESQL);
            assertThat(postgres.schemaVersion()).isEqualTo(sqlite.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            TreeSet<String> inSqlite = sqlite.read(c -> columns(c, "SELECT m.name || '.' || p.name FROM sqlite_master m"
                    + " JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"));
            TreeSet<String> inPostgres = postgres.read(c -> columns(c, "SELECT table_name || '.' || column_name"
                    + " FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_version'"));
            assertThat(inPostgres).isEqualTo(inSqlite);
        } finally {
            TestPostgres.drop(url);
        }
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        String url = TestPostgres.emptyDatabase();
        try {
            Database.open(url, dir, 1, Map.of()).close();
            try (Database again = Database.open(url, dir, 1, Map.of())) {
                assertThat(again.schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            }
        } finally {
            TestPostgres.drop(url);
        }
    }

    @Test
    void twoServersStartedAtOnceOnAnEmptyDatabaseMigrateItOnce() throws Exception {
        String url = TestPostgres.emptyDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<NetdiskServer> started = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<NetdiskServer>> starting = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                ServerConfig config = ServerConfig.forTests(dir.resolve(name)).withDatabase(url);
                starting.add(pool.submit(() -> {
                    go.await();
                    return NetdiskServer.start(config);
                }));
            }
            go.countDown();
            for (Future<NetdiskServer> f : starting) {
                started.add(f.get(60, TimeUnit.SECONDS));
            }
            for (NetdiskServer s : started) {
                assertThat(s.database().schemaVersion()).isEqualTo(Database.MIGRATIONS.size());
            }
            // A second run of any script would have failed (CREATE TABLE of a table that exists);
            // and the version row is one.
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), min(version) FROM schema_version")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).isEqualTo(Database.MIGRATIONS.size());
            }
        } finally {
            started.forEach(NetdiskServer::close);
            pool.shutdownNow();
            TestPostgres.drop(url);
        }
    }

    private static TreeSet<String> columns(Connection c, String sql) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
