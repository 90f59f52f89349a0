package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.ServerMain;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Login throttling that cannot be turned against the victim (issue 22, finding 5): failures slow
 * and lock out the addresses they come from, never the real user at an address that has not failed;
 * token logins never suffer from password failures; {@code user unlock} clears a name's counts; a
 * stranger learns as little as the features allow about which names exist.
 *
 * <p>Different client addresses are loopback addresses 127.0.0.N (all of 127/8 is local on Linux).
 */
class ThrottlingTest extends ServerTestSupport {

    private static final String LOCKED = "530 reason=locked too many failed logins; try again later";

    @Override
    ServerConfig config() {
        // Delays from the 2nd failure, at most 50 ms; lock-out after 3 failures for 5 minutes.
        return super.config().withLimits(Limits.defaults()
                .withLoginThrottle(1, Duration.ofMillis(50), 3, Duration.ofMinutes(5)));
    }

    /** A connection from 127.0.0.{@code n}. */
    private ProtocolClient from(int n) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0." + n, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        ProtocolClient client = track(ProtocolClient.wrap(socket));
        assertThat(client.reply().code()).isEqualTo(220);
        return client;
    }

    @Test
    void aCorrectPasswordFromACleanAddressIsAcceptedAfterTenFailuresFromOthers() throws IOException {
        register("alice");
        for (int n = 2; n < 12; n++) {
            ProtocolClient attacker = from(n);
            assertThat(attacker.command("LOGIN alice wrong-password").code()).isEqualTo(530);
        }
        // The attackers' addresses are refused for alice, even with the right password...
        assertThat(from(5).command("LOGIN alice " + PASSWORD)).hasToString(LOCKED);
        // ...but alice, at an address that never failed, gets in.
        assertThat(from(20).command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
        assertThat(from(21).command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void anAddressThatKeepsFailingIsLockedOutForEveryNameAndTheSameForUnknownNames() throws IOException {
        register("alice");
        ProtocolClient attacker = from(30);
        for (int i = 0; i < 3; i++) {
            assertThat(attacker.command("LOGIN alice wrong-password").text()).isEqualTo("login incorrect");
        }
        assertThat(attacker.command("LOGIN alice " + PASSWORD)).hasToString(LOCKED);
        assertThat(attacker.command("LOGIN nobody whatever-pw")).hasToString(LOCKED);
        assertThat(from(31).command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void tokenLoginsAreNeverThrottledByPasswordFailures() throws IOException {
        register("alice");
        ProtocolClient c = from(40);
        String token = c.command("LOGIN alice " + PASSWORD).param("token");
        c.command("QUIT");
        ProtocolClient attacker = from(40); // the same address as alice's token
        for (int i = 0; i < 5; i++) {
            attacker.command("LOGIN alice wrong-password");
        }
        assertThat(attacker.command("LOGIN alice " + PASSWORD)).hasToString(LOCKED);
        assertThat(from(40).command("LOGIN TOKEN " + token).code()).isEqualTo(230);
    }

    @Test
    void userUnlockClearsTheCountsAgainstAName() throws IOException {
        register("alice");
        ProtocolClient attacker = from(50);
        for (int i = 0; i < 3; i++) {
            attacker.command("LOGIN alice wrong-password");
        }
        // Another failure at another address for the same name keeps the name's count high...
        for (int n = 51; n < 54; n++) {
            from(n).command("LOGIN alice wrong-password");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        org.assertj.core.api.Assertions.assertThat(ServerMain.commandLine().setOut(new PrintWriter(out, true))
                .execute("user", "unlock", "alice", "--data-dir=" + dataDir())).isZero();
        assertThat(out.toString()).startsWith("user alice unlocked (");
        // ...unlock clears the name's counts: alice gets in from an address that failed for her only.
        assertThat(from(52).command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void aStrangerLearnsNoNamesFromLoginOrUsersAndRegisterIsRateLimited() throws IOException {
        register("alice");
        ProtocolClient stranger = from(60);
        Reply real = stranger.command("LOGIN alice wrong-password");
        Reply unknown = stranger.command("LOGIN nobody wrong-password");
        assertThat(real.text()).isEqualTo(unknown.text());
        assertThat(stranger.command("USERS al").code()).isEqualTo(530);
        ProtocolClient member = loggedIn("bob");
        assertThat(member.command("USERS \"\"")).hasToString("501 give at least 2 characters of the name");
        assertThat(member.command("USERS a").code()).isEqualTo(501);
        assertThat(member.command("USERS al").lines()).containsExactly("alice", "1 user");
    }

    @Test
    void aWrongCurrentPasswordInPasswdCountsAsAFailedLogin() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        for (int i = 0; i < 3; i++) {
            assertThat(alice.command("PASSWD wrong-password new-password-1").code()).isEqualTo(550);
        }
        assertThat(alice.command("PASSWD " + PASSWORD + " new-password-1"))
                .hasToString("550 too many failed attempts; try again later");
    }
}
