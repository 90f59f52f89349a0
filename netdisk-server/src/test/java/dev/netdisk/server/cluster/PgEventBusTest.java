package dev.netdisk.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two "servers" in one JVM, each with its own {@link PgEventBus} and LISTEN connection, on a real
 * PostgreSQL ({@link PgForTests}): events cross between them, a bus whose LISTEN connection is
 * killed catches up from the database, and a dead server's presence turns into one offline event.
 */
@Timeout(120)
class PgEventBusTest {

    private String url;
    private final List<PgEventBus> buses = new ArrayList<>();

    @BeforeEach
    void freshDatabase() throws Exception {
        url = PgForTests.freshDatabase();
        PgForTests.execute(url, "INSERT INTO users (id, name) VALUES (7, 'bob'), (8, 'carol'), (9, 'dave')");
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(PgEventBus::close);
    }

    /** A started bus of server {@code origin} whose events land in {@code received}, once it listens. */
    private PgEventBus bus(String origin, List<ClusterEvent> received) {
        PgEventBus bus = new PgEventBus(() -> PgForTests.connect(url), origin, this::messagesAfter);
        buses.add(bus);
        bus.start(received::add);
        await().atMost(Duration.ofSeconds(20)).until(() -> bus.connects() >= 1);
        return bus;
    }

    /** The catch-up of the tests' messages table: one private message per row. */
    private List<ClusterEvent> messagesAfter(long id) throws SQLException {
        List<ClusterEvent> out = new ArrayList<>();
        try (Connection c = PgForTests.connect(url);
             PreparedStatement ps = c.prepareStatement("SELECT id, recipient_id FROM messages WHERE id > ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(ClusterEvent.chat("", rs.getLong(1), new long[] {rs.getLong(2)}));
                }
            }
        }
        return out;
    }

    /**
     * Sends a marker from {@code from} and waits until {@code receiver} has it: every notification
     * committed before it has been delivered by then (PostgreSQL delivers in commit order).
     */
    private void settle(PgEventBus from, List<ClusterEvent> received, long marker) {
        from.publish(ClusterEvent.chat(from.origin(), marker, new long[] {9}));
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(received).contains(marker));
    }

    private static List<Long> ids(List<ClusterEvent> events) {
        return events.stream().filter(e -> e.kind() == ClusterEvent.Kind.CHAT).map(ClusterEvent::messageId).toList();
    }

    @Test
    void anEventPublishedOnOneServerReachesTheOtherAndNotItself() {
        List<ClusterEvent> atA = new CopyOnWriteArrayList<>();
        List<ClusterEvent> atB = new CopyOnWriteArrayList<>();
        PgEventBus a = bus("server-a", atA);
        PgEventBus b = bus("server-b", atB);

        a.publish(ClusterEvent.chat("server-a", 42, new long[] {7, 8}));
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(atB).contains(42L));
        assertThat(atB).contains(ClusterEvent.chat("server-a", 42, new long[] {7, 8}));

        // A group of 3,000: more recipients than one 8000-byte payload holds, so several payloads.
        long[] many = new long[3_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = 1_000_000_000L + i;
        }
        a.publishAll(List.of(ClusterEvent.chat("server-a", 43, many), ClusterEvent.chat("server-a", 44, new long[] {7})));
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(atB).contains(44L));
        Set<Long> got = new HashSet<>();
        atB.stream().filter(e -> e.messageId() == 43).forEach(e -> {
            for (long id : e.userIds()) {
                got.add(id);
            }
        });
        assertThat(got).as("every recipient, over several payloads").hasSize(many.length);
        assertThat(ClusterEvent.chat("server-a", 43, many).payloads()).hasSizeGreaterThan(1)
                .allSatisfy(p -> assertThat(p.length()).isLessThan(ClusterEvent.MAX_PAYLOAD + 1));

        // A read marker's move is no message: one at id 43, a message id heard already, still arrives.
        a.publish(ClusterEvent.read("server-a", 7, "#team", 43));
        await().atMost(Duration.ofSeconds(20)).until(() -> atB.contains(ClusterEvent.read("server-a", 7, "#team", 43)));

        settle(b, atA, 99);
        assertThat(ids(atA)).as("a server skips its own notifications").containsExactly(99L);
    }

    @Test
    void aBusWhoseListenConnectionIsKilledCatchesUpFromTheDatabase() throws Exception {
        List<ClusterEvent> atA = new CopyOnWriteArrayList<>();
        List<ClusterEvent> atB = new CopyOnWriteArrayList<>();
        PgEventBus a = bus("server-a", atA);
        PgEventBus b = bus("server-b", atB);
        PgForTests.execute(url, "INSERT INTO messages (id, recipient_id) VALUES (10, 7)");
        a.publish(ClusterEvent.chat("server-a", 10, new long[] {7}));
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(atB).contains(10L));

        // Stored while B cannot hear: one whose notification is lost for sure (none is sent), one
        // sent around the moment B's connection dies.
        int pid = b.listenBackendPid();
        PgForTests.execute(url, "INSERT INTO messages (id, recipient_id) VALUES (11, 8)");
        PgForTests.execute(url, "SELECT pg_terminate_backend(" + pid + ")");
        PgForTests.execute(url, "INSERT INTO messages (id, recipient_id) VALUES (12, 7)");
        a.publish(ClusterEvent.chat("server-a", 12, new long[] {7}));

        await().atMost(Duration.ofSeconds(30)).until(() -> ids(atB).containsAll(List.of(11L, 12L)));
        assertThat(b.connects()).isEqualTo(2);
        assertThat(b.listenBackendPid()).isNotEqualTo(pid);
        settle(a, atB, 13);
        assertThat(ids(atB)).as("each message once, none lost").containsExactlyInAnyOrder(10L, 11L, 12L, 13L);
    }

    @Test
    void aDeadServersPresenceExpiresIntoExactlyOneOfflineEvent() throws Exception {
        long longAgo = System.currentTimeMillis() - 60_000;
        PgForTests.execute(url, "INSERT INTO servers (server_id, name, heartbeat_at) VALUES ('dead', 'h:1', "
                + longAgo + ")");
        PgForTests.execute(url, "INSERT INTO presence (server_id, user_id) VALUES ('dead', 7), ('dead', 8)");
        // carol (8) listens on server-b too: she stays online.
        PgForTests.execute(url, "INSERT INTO presence (server_id, user_id) VALUES ('server-b', 8)");

        List<ClusterEvent> atA = new CopyOnWriteArrayList<>();
        List<ClusterEvent> atB = new CopyOnWriteArrayList<>();
        PgEventBus a = bus("server-a", atA);
        PgEventBus b = bus("server-b", atB);
        assertThat(a.onlineElsewhere(7)).isTrue();
        ClusterPresence presenceA = presence(a);
        ClusterPresence presenceB = presence(b);
        presenceA.heartbeat();
        presenceB.heartbeat();

        // Both live servers notice at the same instant.
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService sweepers = Executors.newFixedThreadPool(2);
        List<ClusterEvent> published = new ArrayList<>();
        try {
            List<Future<List<ClusterEvent>>> sweeps = new ArrayList<>();
            for (ClusterPresence p : List.of(presenceA, presenceB)) {
                sweeps.add(sweepers.submit(() -> {
                    go.await();
                    return p.sweepDead();
                }));
            }
            go.countDown();
            for (Future<List<ClusterEvent>> f : sweeps) {
                published.addAll(f.get());
            }
        } finally {
            sweepers.shutdownNow();
        }
        assertThat(published).containsExactly(ClusterEvent.presence(ClusterEvent.Kind.OFFLINE, "dead", 7, "bob"));

        settle(b, atA, 1);
        settle(a, atB, 2);
        for (List<ClusterEvent> at : List.of(atA, atB)) {
            assertThat(at.stream().filter(e -> e.kind() == ClusterEvent.Kind.OFFLINE).toList())
                    .containsExactly(ClusterEvent.presence(ClusterEvent.Kind.OFFLINE, "dead", 7, "bob"));
        }
        assertThat(a.onlineElsewhere(7)).isFalse();
        assertThat(a.onlineElsewhere(8)).as("still on server-b").isTrue();
        assertThat(count("SELECT count(*) FROM servers")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM presence WHERE server_id = 'dead'")).isZero();
    }

    @Test
    void joiningAndLeavingReachTheOtherServerOnlyWhenTheyChangeWhereAUserListens() throws Exception {
        List<ClusterEvent> atA = new CopyOnWriteArrayList<>();
        List<ClusterEvent> atB = new CopyOnWriteArrayList<>();
        PgEventBus a = bus("server-a", atA);
        PgEventBus b = bus("server-b", atB);
        ClusterPresence presenceA = presence(a);
        presenceA.heartbeat();
        presenceA.joined(7, "bob");
        presenceA.joined(7, "bob"); // a second connection: no change for the others
        await().atMost(Duration.ofSeconds(20)).until(() -> b.onlineElsewhere(7));
        presenceA.left(7, "bob");
        settle(a, atB, 3);
        assertThat(atB.stream().filter(e -> e.kind() != ClusterEvent.Kind.CHAT).toList()).containsExactly(
                ClusterEvent.presence(ClusterEvent.Kind.ONLINE, "server-a", 7, "bob"),
                ClusterEvent.presence(ClusterEvent.Kind.OFFLINE, "server-a", 7, "bob"));
        assertThat(b.onlineElsewhere(7)).isFalse();
    }

    private ClusterPresence presence(PgEventBus bus) {
        return new ClusterPresence(this::transaction, bus, bus.origin(), Clock.systemUTC(), ClusterPresence.DEAD_AFTER);
    }

    private <T> T transaction(Database.Work<T> work) throws SQLException {
        try (Connection c = PgForTests.connect(url)) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = PgForTests.connect(url); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
