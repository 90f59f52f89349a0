package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.crypt.DataKey;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The state that servers share lives in the database (migration V013), through the whole server
 * on SQLite: a ticket is taken once by racing data connections and outlives the server that issued
 * it; an upload lease left by a dead server frees the upload when it runs out; login failures
 * outlive a restart. (Several servers on one PostgreSQL: PgEventBusTest for events; the rows here
 * run the same SQL there.)
 */
class ClusterStateTest extends ServerTestSupport {

    private static final int MIB = 1 << 20;

    @Test
    void aTicketIsTakenOnceByTwoRacingDataConnections() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.of("raced bytes");
        String ticket = uploadTicket(alice, "raced.txt", content).param("ticket");
        ProtocolClient first = connect();
        ProtocolClient second = connect();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (ProtocolClient c : List.of(first, second)) {
                Callable<Reply> race = () -> {
                    go.await();
                    return c.command("DATA " + ticket);
                };
                replies.add(racers.submit(race));
            }
            go.countDown();
            Reply a = replies.get(0).get();
            Reply b = replies.get(1).get();
            assertThat(List.of(a.code(), b.code())).containsExactlyInAnyOrder(150, 425);
            Reply loser = a.code() == 425 ? a : b;
            assertThat(loser).hasToString("425 unknown or expired ticket");
            ProtocolClient winner = a.code() == 150 ? first : second;
            winner.sendBytes(content, 0, content.size());
            assertThat(winner.reply().code()).isEqualTo(226);
        } finally {
            racers.shutdownNow();
        }
        // The running row goes on a worker once the transfer ended.
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT count(*) FROM data_tickets") == 0);
    }

    /**
     * A ticket is a capability stored in the database, not in the issuing process: it survives that
     * server's restart (as it must survive its death when another server takes the data connection),
     * until it expires or is revoked.
     */
    @Test
    void aTicketSurvivesTheRestartOfTheServerThatIssuedIt() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(7, 3 * MIB);
        String ticket = uploadTicket(alice, "later.bin", content).param("ticket");
        assertThat(rows("SELECT count(*) FROM data_tickets WHERE taken_at IS NULL")).isEqualTo(1);
        restart();
        try (ProtocolClient data = openData(ticket)) {
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5() + " stored /later.bin");
        }
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket)).hasToString("425 unknown or expired ticket");
        }
    }

    /** The server that issued it has gone: revoking the user reaches the ticket through its row. */
    @Test
    void aTicketIssuedBeforeARestartIsRevokedByUserDisable() throws Exception {
        ProtocolClient bob = loggedIn("bob");
        String ticket = uploadTicket(bob, "b.txt", Payload.of("hello")).param("ticket");
        restart();
        assertThat(dev.netdisk.server.app.ServerMain.commandLine()
                .execute("user", "disable", "bob", "--data-dir=" + dataDir())).isZero();
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket)).hasToString("425 ticket revoked: account disabled by the administrator");
        }
    }

    @Test
    void theIdIsNotStoredOnlyItsHash() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        String ticket = uploadTicket(alice, "a.txt", Payload.of("a")).param("ticket");
        String stored = server.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hex(id_hash) FROM data_tickets");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).toLowerCase(java.util.Locale.ROOT);
            }
        });
        assertThat(stored).hasSize(64).doesNotContain(ticket);
    }

    /**
     * What a server killed mid-upload leaves: the kept bytes and a lease that nobody renews. The
     * upload is refused while the lease runs, and resumes from the kept bytes once it ran out.
     */
    @Test
    void anUploadLeasedByADeadServerResumesOnceTheLeaseRunsOut() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(11, DataKey.PART_BYTES + 2 * MIB);
        Reply first = uploadTicket(alice, "big.bin", content);
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(content, 0, DataKey.PART_BYTES + MIB);
            data.shutdownOutput();
            assertThat(data.isClosedByServer()).isTrue();
        }
        String blobId = server.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT blob_id FROM partial_uploads");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        // This server let go of its lease; another (dead) one holds it for 2 more seconds.
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT count(*) FROM upload_leases") == 0);
        long leaseUntil = System.currentTimeMillis() + 2_000;
        server.database().transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO upload_leases (blob_id, holder, lease_until) VALUES (?, 'dead-server', ?)")) {
                ps.setString(1, blobId);
                ps.setLong(2, leaseUntil);
                return ps.executeUpdate();
            }
        });
        String announce = "UPLOAD big.bin " + content.size() + " " + content.md5();
        assertThat(alice.command(announce)).hasToString("450 an upload of /big.bin is already in progress");

        Reply resumed = await().atMost(Duration.ofSeconds(20)).until(() -> alice.command(announce),
                r -> r.code() == 350);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(leaseUntil);
        long offset = resumed.longParam("offset");
        assertThat(offset).isEqualTo(DataKey.PART_BYTES);
        try (ProtocolClient data = openData(resumed.param("ticket"))) {
            data.sendBytes(content, offset, content.size());
            assertThat(data.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5() + " stored /big.bin");
        }
        assertThat(download(alice, "big.bin", 0)).isEqualTo(content.md5());
    }

    @Test
    void aLockoutOutlivesARestart() throws Exception {
        restartWith(config().withLimits(Limits.defaults()
                .withLoginThrottle(1, Duration.ofMillis(50), 3, Duration.ofMinutes(5))));
        register("alice");
        for (int i = 0; i < 3; i++) {
            try (ProtocolClient c = connect()) {
                assertThat(c.command("LOGIN alice wrong-password").code()).isEqualTo(530);
            }
        }
        restartWith(server.config());
        try (ProtocolClient c = connect()) {
            assertThat(c.command("LOGIN alice " + PASSWORD))
                    .hasToString("530 reason=locked too many failed logins; try again later");
        }
    }

    private void restart() throws Exception {
        restartWith(server.config());
    }

    private void restartWith(dev.netdisk.server.config.ServerConfig config) throws Exception {
        server.close();
        server = NetdiskServer.start(config);
    }

    private long rows(String countQuery) throws Exception {
        return server.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(countQuery); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
