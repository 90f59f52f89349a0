package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.store.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL, two users who share nothing, each uploading small files on a
 * {@code BATCH} connection to its own server at the same moment (what {@code upload -r} does):
 * how many group commits there were, how many of the servers' SERIALIZABLE transactions PostgreSQL
 * failed and they ran again ({@code Database.retries()}), how many times the file rows' insert
 * trigger ran (rolled-back attempts included), how many of the updates of {@code users} were not
 * HOT, and which predicate locks ({@code SIReadLock}) the transactions held while they ran: per
 * relation and kind, {@code :shared} when two backends held one on the same page at once. Prints
 * the counts (docs/PERFORMANCE.md, "What a second server costs"); asserts only that every file
 * was stored. Not timed.
 *
 * <p>Knobs, for investigating: {@code -Dnetdisk.retries.files=2000} (default 200 per user);
 * {@code -Dnetdisk.retries.sql=...}, a statement run on the fresh database before the servers
 * start (e.g. {@code ALTER TABLE users SET (fillfactor = 10)}); {@code -Dnetdisk.retries.apart=...},
 * statements separated by {@code ;;} run after the users exist, after which bob's {@code d} is made
 * again (so filler rows inserted by them can sit between the two users' keys).
 */
@Timeout(300)
class CrossServerRetriesTest {

    private static final int FILES = Integer.getInteger("netdisk.retries.files", 200);
    private static final int FILE_BYTES = 4096;

    @TempDir
    Path dir;

    private String url;
    private final List<NetdiskServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(NetdiskServer::close);
        if (url != null) {
            try (Connection pg = DriverManager.getConnection(url); Statement st = pg.createStatement()) {
                st.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET track_functions', current_database());"
                        + " END $$");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            TestPostgres.drop(url);
        }
    }

    @Test
    void twoUsersOnTwoServersUploadSmallFilesAtOnce() throws Exception {
        url = TestPostgres.freshDatabase();
        try (Connection pg = DriverManager.getConnection(url); Statement st = pg.createStatement()) {
            // Counts each run of the nodes trigger, rolled back or not: files inserted, and inserted again.
            st.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET track_functions = ''pl''',"
                    + " current_database()); END $$");
        }
        String experiment = System.getProperty("netdisk.retries.sql");
        if (experiment != null) {
            try (Connection pg = DriverManager.getConnection(url); Statement st = pg.createStatement()) {
                st.execute(experiment);
            }
        }
        long[] before = counters();
        for (String name : List.of("a", "b")) {
            NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(dir.resolve(name)).withDatabase(url));
            servers.add(server);
        }
        List<String> users = List.of("alice", "bob");
        List<ProtocolClient> controls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProtocolClient c = ProtocolClient.connect(servers.get(i).port());
            controls.add(c);
            assertThat(c.command("REGISTER " + users.get(i) + " " + ServerTestSupport.PASSWORD).code()).isEqualTo(200);
            assertThat(c.command("LOGIN " + users.get(i) + " " + ServerTestSupport.PASSWORD).code()).isEqualTo(230);
            assertThat(c.command("MAKEDIR d").code()).isEqualTo(257);
        }
        String apart = System.getProperty("netdisk.retries.apart");
        if (apart != null) {
            try (Connection pg = DriverManager.getConnection(url); Statement st = pg.createStatement()) {
                for (String sql : apart.split(";;")) {
                    st.execute(sql);
                }
            }
            assertThat(controls.get(1).command("RMDIR d").code()).isLessThan(300);
            assertThat(controls.get(1).command("MAKEDIR d").code()).isEqualTo(257);
        }
        long retriesBefore = retries();

        Map<String, Integer> relationLocks = new ConcurrentHashMap<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (Connection pg = DriverManager.getConnection(url)) {
            sampler.scheduleWithFixedDelay(() -> sample(pg, relationLocks), 0, 20, TimeUnit.MILLISECONDS);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<String>> batches = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int user = i;
                batches.add(CompletableFuture.supplyAsync(() -> upload(controls.get(user), servers.get(user).port(),
                        user, go)));
            }
            go.countDown();
            for (CompletableFuture<String> batch : batches) {
                assertThat(batch.get(240, TimeUnit.SECONDS)).endsWith(FILES + " stored, 0 sent, 0 refused");
            }
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        long retries = retries() - retriesBefore;
        long groups = servers.stream().mapToLong(s -> s.commits().transactions()).sum();
        List<String> stored = new ArrayList<>();
        for (ProtocolClient c : controls) {
            stored.add(c.command("QUOTA").param("files"));
            c.close();
        }
        // Stopped, so that every backend has reported its counters.
        servers.forEach(NetdiskServer::close);
        long[] after = counters();
        long files = 2L * FILES;
        System.out.printf("CrossServerRetriesTest: %d files per user, 2 users on 2 servers: %d group commits,"
                + " %d transactions run again (%.3f per file); PostgreSQL: %d rollbacks, file rows inserted %d times"
                + " for %d files (%.0f %% again); SIReadLocks seen (relation:kind[:shared]=samples every 20 ms): %s%n",
                FILES, groups, retries, retries / (double) files, after[0] - before[0], after[1] - before[1], files,
                100.0 * (after[1] - before[1] - files) / files, new TreeMap<>(relationLocks));
        assertThat(stored).containsOnly(String.valueOf((long) FILES * FILE_BYTES));
    }

    /** This database's rollbacks so far, and the runs of the trigger that counts a new file's bytes. */
    private long[] counters() throws Exception {
        try (Connection pg = DriverManager.getConnection(url); Statement st = pg.createStatement()) {
            long rollbacks;
            try (ResultSet rs = st.executeQuery("SELECT xact_rollback FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
                rs.next();
                rollbacks = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'users'")) {
                rs.next();
                System.out.println("CrossServerRetriesTest: users rows updated " + rs.getLong(1) + " times, "
                        + (rs.getLong(1) - rs.getLong(2)) + " of them not HOT (so far in this database)");
            }
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(sum(calls), 0) FROM pg_stat_user_functions"
                    + " WHERE funcname = 'usage_node_insert'")) {
                rs.next();
                return new long[] {rollbacks, rs.getLong(1)};
            }
        }
    }

    /** One user's BATCH of {@link #FILES} files into {@code d/}; returns the batch's final line. */
    private static String upload(ProtocolClient control, int port, int user, CountDownLatch go) {
        try {
            Reply ticket = control.command("BATCH");
            assertThat(ticket.code()).isEqualTo(350);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < FILES; i++) {
                Payload p = Payload.random(user * 1_000_000L + i, FILE_BYTES);
                out.writeBytes(("UPLOAD d/f" + i + ".bin " + p.size() + " " + p.md5() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                try {
                    p.writeTo(out, 0, p.size());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            out.writeBytes("QUIT\n".getBytes(StandardCharsets.UTF_8));
            try (ProtocolClient data = ProtocolClient.connect(port)) {
                assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
                go.await();
                // The answers are read while the files go out, as the client's batch does.
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        data.sendRaw(out.toByteArray());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Reply last;
                int stored = 0;
                while ((last = data.reply()).code() == 226) {
                    stored++;
                }
                sent.join();
                assertThat(stored).isEqualTo(FILES);
                return last.text();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long retries() {
        return servers.stream().mapToLong(s -> s.database().retries()).sum();
    }

    /**
     * Counts, per relation and lock kind (relation, page, tuple), the samples in which some
     * transaction held a predicate lock, with {@code :shared} when two backends held one on the
     * same page (or the whole relation) at once.
     */
    private static void sample(Connection pg, Map<String, Integer> counts) {
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT DISTINCT relation::regclass || ':' || locktype || CASE WHEN pids > 1 THEN ':shared' ELSE '' END"
                + " FROM (SELECT relation, locktype, page, count(DISTINCT pid) AS pids FROM pg_locks WHERE mode = 'SIReadLock'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " GROUP BY relation, locktype, page) l")) {
            while (rs.next()) {
                counts.merge(rs.getString(1), 1, Integer::sum);
            }
        } catch (Exception e) {
            counts.merge("sample failed: " + e.getMessage(), 1, Integer::sum);
        }
    }
}
