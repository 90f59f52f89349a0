package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import dev.netdisk.protocol.ReplyException;
import dev.netdisk.server.app.ServerMain;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A saved session survives someone else's mistakes (issue 20, point 7): the client removes it only
 * when the server says the token is unknown or revoked, never on a lock-out or a disabled account,
 * which get exit codes of their own.
 */
class SavedSessionTest extends CliTestSupport {

    private static final String OTHER_TOKEN = "0".repeat(64);

    @Override
    ServerConfig config(Path dataDir) {
        // Delays of at most 10 ms from the 2nd failure; locked out after 10 failures, for 5 minutes.
        return super.config(dataDir).withLimits(Limits.defaults()
                .withLoginThrottle(1, Duration.ofMillis(10), 10, Duration.ofMinutes(5)));
    }

    private Path sessions() {
        return tmp.resolve("config/sessions.json");
    }

    private void admin(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--data-dir=" + tmp.resolve("server");
        assertThat(ServerMain.commandLine().execute(all)).isZero();
    }

    @Test
    void tenWrongPasswordsFromThisAddressLeaveTheSavedSessionWorking() throws Exception {
        loggedIn("alice");
        String saved = Files.readString(sessions());
        cli.env(Env.PASSWORD, "wrong-password");
        for (int i = 0; i < 10; i++) {
            Cli.Result wrong = cli.run("login", "alice");
            assertThat(wrong.code()).as(wrong.toString()).isEqualTo(ExitCode.AUTH.value());
        }
        Cli.Result locked = cli.run("login", "alice");
        assertThat(locked.code()).as(locked.toString()).isEqualTo(ExitCode.LOCKED_OUT.value());
        assertThat(locked.err()).isEqualTo("netdisk: login: 530 the server refuses logins from here for a while"
                + " after too many failed ones; try again later (your saved session is kept)\n");
        cli.env(Env.PASSWORD, null);

        assertThat(Files.readString(sessions())).isEqualTo(saved);
        Cli.Result ls = cli.run("ls");
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(Files.readString(sessions())).isEqualTo(saved);
    }

    @Test
    void someoneElsesBadTokensFromThisAddressLockOutButKeepTheSavedSession() throws Exception {
        loggedIn("alice");
        String saved = Files.readString(sessions());
        for (int i = 0; i < 10; i++) {
            try (NetdiskClient c = NetdiskClient.connect("127.0.0.1", server.port())) {
                assertThatThrownBy(() -> c.loginWithToken(OTHER_TOKEN)).isInstanceOf(ReplyException.class);
            }
        }
        Cli.Result locked = cli.run("ls");
        assertThat(locked.code()).as(locked.toString()).isEqualTo(ExitCode.LOCKED_OUT.value());
        assertThat(locked.err()).startsWith("netdisk: ls: 530 the server refuses logins from here for a while");
        assertThat(Files.readString(sessions())).isEqualTo(saved);
    }

    @Test
    void aDisabledAccountHasItsOwnExitCode() {
        loggedIn("alice");
        admin("user", "disable", "alice");
        Cli.Result disabled = cli.env(Env.PASSWORD, PASSWORD).run("login", "alice");
        assertThat(disabled.code()).as(disabled.toString()).isEqualTo(ExitCode.DISABLED.value());
        assertThat(disabled.err()).isEqualTo("netdisk: login: 530 your account is disabled by the server's"
                + " administrator; ask them to enable it\n");
        admin("user", "enable", "alice");
        assertThat(cli.run("login", "alice").code()).isZero();
    }

    @Test
    void aRevokedTokenIsRemoved() throws Exception {
        loggedIn("alice");
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sessions().toFile())
                .get("sessions").get(0).get("token").asText();
        try (NetdiskClient c = NetdiskClient.connect("127.0.0.1", server.port())) {
            c.loginWithToken(token);
            c.logout();
        }
        Cli.Result ls = cli.run("ls");
        assertThat(ls.code()).as(ls.toString()).isEqualTo(ExitCode.AUTH.value());
        assertThat(ls.err()).contains("the saved session of alice has expired or was revoked");
        assertThat(Files.readString(sessions())).doesNotContain("alice");
    }
}
