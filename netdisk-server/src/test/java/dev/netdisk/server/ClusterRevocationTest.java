package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.app.ServerMain;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.store.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation crosses servers (issue 21): two {@link NetdiskServer}s in this JVM on one PostgreSQL
 * database. What is revoked on one server (a password change, {@code LOGOUT}, {@code UNSHARE
 * LINK}, {@code user disable}) ends the user's connections and stops the transfers running on the
 * other: at once when it is told by the event bus, within a lease renewal (5 s) when only the
 * ticket's row says so.
 */
@Timeout(120)
class ClusterRevocationTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private String url;
    private NetdiskServer a;
    private NetdiskServer b;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        url = TestPostgres.freshDatabase();
        a = NetdiskServer.start(ServerConfig.forTests(dir.resolve("a")).withDatabase(url));
        b = NetdiskServer.start(ServerConfig.forTests(dir.resolve("b")).withDatabase(url));
        for (String user : List.of("alice", "bob")) {
            try (ProtocolClient c = ProtocolClient.connect(a.port())) {
                assertThat(c.command("REGISTER " + user + " " + ServerTestSupport.PASSWORD).code()).isEqualTo(200);
            }
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(ProtocolClient::close);
        for (NetdiskServer s : new NetdiskServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        TestPostgres.drop(url);
    }

    private ProtocolClient connect(NetdiskServer on) throws IOException {
        ProtocolClient c = ProtocolClient.connect(on.port());
        clients.add(c);
        return c;
    }

    private ProtocolClient loggedIn(NetdiskServer on, String user) throws IOException {
        ProtocolClient c = connect(on);
        assertThat(c.command("LOGIN " + user + " " + ServerTestSupport.PASSWORD).code()).isEqualTo(230);
        return c;
    }

    private ProtocolClient openData(NetdiskServer on, String ticket) throws IOException {
        ProtocolClient data = connect(on);
        assertThat(data.command("DATA " + ticket).code()).isEqualTo(150);
        return data;
    }

    @Test
    void aPasswordChangeOnOneServerEndsTheOtherSessionsOnTheOther() throws IOException {
        ProtocolClient here = loggedIn(a, "alice");
        ProtocolClient there = loggedIn(b, "alice");
        ProtocolClient bobThere = loggedIn(b, "bob");

        assertThat(here.command("PASSWD " + ServerTestSupport.PASSWORD + " new-password-1"))
                .hasToString("200 password changed; 0 other session(s) ended");
        assertThat(there.readLine()).isEqualTo("421 password changed");
        assertThat(there.isClosedByServer()).isTrue();
        // The session that changed it stays, and so does everyone else's.
        assertThat(here.command("PWD").code()).isEqualTo(257);
        assertThat(bobThere.command("PWD").code()).isEqualTo(257);
    }

    @Test
    void logoutOnOneServerStopsTheSessionsUploadRunningOnTheOther() throws IOException {
        ProtocolClient alice = loggedIn(a, "alice");
        Payload content = Payload.random(1, 4 * MIB);
        Reply ticket = alice.command("UPLOAD running.bin " + content.size() + " " + content.md5());
        assertThat(ticket.code()).isEqualTo(350);
        ProtocolClient data = openData(b, ticket.param("ticket"));
        data.sendBytes(content, 0, MIB);

        assertThat(alice.command("LOGOUT")).hasToString("200 logged out; 1 ticket(s) revoked");
        // Only the ticket's row tells server b: it stops the upload at its next lease renewal.
        assertThat(data.reply()).hasToString("421 transfer stopped: logged out");
        assertThat(data.isClosedByServer()).isTrue();
    }

    @Test
    void unshareLinkOnOneServerStopsAFetchRunningOnTheOther() throws IOException {
        ProtocolClient alice = loggedIn(a, "alice");
        Payload big = Payload.random(3, 32L * MIB);
        Reply up = alice.command("UPLOAD big.bin " + big.size() + " " + big.md5());
        // Each server here has its own content directory: the file's bytes go to b, which serves it.
        try (ProtocolClient data = openData(b, up.param("ticket"))) {
            data.sendBytes(big, 0, big.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
        String code = alice.command("SHARE LINK big.bin").param("code");
        ProtocolClient bob = loggedIn(b, "bob");
        Reply unused = bob.command("FETCH " + code);
        Reply running = bob.command("FETCH " + code);
        ProtocolClient data = openData(b, running.param("ticket"));

        // Server a knows nothing of bob's tickets: the event bus tells server b.
        assertThat(alice.command("UNSHARE LINK " + code)).hasToString("250 link " + code + " revoked");
        assertThatThrownBy(() -> data.readBytes(big.size(), Payload.newMd5())).isInstanceOf(IOException.class);
        try (ProtocolClient other = connect(a)) {
            assertThat(other.command("DATA " + unused.param("ticket")))
                    .hasToString("425 ticket revoked: link " + code + " revoked");
        }
    }

    @Test
    void userDisableReachesEveryServerOnTheDatabase() throws IOException {
        ProtocolClient onA = loggedIn(a, "bob");
        ProtocolClient onB = loggedIn(b, "bob");
        Payload content = Payload.random(2, 4 * MIB);
        Reply ticket = onB.command("UPLOAD x.bin " + content.size() + " " + content.md5());
        ProtocolClient data = openData(b, ticket.param("ticket"));
        data.sendBytes(content, 0, MIB);

        // Through server a's admin socket, and to the others by a notification on the database.
        assertThat(ServerMain.commandLine().execute("user", "disable", "bob", "--data-dir=" + dir.resolve("a"),
                "--database=" + url)).isZero();
        assertThat(onA.readLine()).isEqualTo("421 account disabled by the administrator");
        assertThat(onB.readLine()).isEqualTo("421 account disabled by the administrator");
        assertThat(data.reply()).hasToString("421 transfer stopped: account disabled by the administrator");
        try (ProtocolClient c = connect(b)) {
            assertThat(c.command("LOGIN bob " + ServerTestSupport.PASSWORD).code()).isEqualTo(530);
        }
    }

    @Test
    void aServerCutOffFromTheDatabaseChecksItsLoginsWhenItIsBack() throws Exception {
        ProtocolClient bobOnB = loggedIn(b, "bob");
        ProtocolClient aliceOnB = loggedIn(b, "alice");
        // What a notification would have told, had any server heard it: bob's logins revoked in the
        // database alone. Then every server's LISTEN connection is cut; each connects again.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = 'bob')");
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name LIKE '" + dev.netdisk.server.cluster.PgEventBus.LISTEN_APPLICATION_NAME + "%'");
        }
        assertThat(bobOnB.readLine()).isEqualTo("421 login revoked (password changed, logged out or account disabled)");
        assertThat(bobOnB.isClosedByServer()).isTrue();
        assertThat(aliceOnB.command("PWD").code()).isEqualTo(257);
    }
}
