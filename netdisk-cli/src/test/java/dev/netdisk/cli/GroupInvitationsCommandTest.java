package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code group invites|bans|decline} through the real client against a real server: lines, JSON, refusals. */
class GroupInvitationsCommandTest {

    private static final String PASSWORD = "correct-horse";

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        cli = new Cli(tmp.resolve("config"), tmp).server(server.port()).env(Env.PASSWORD, PASSWORD);
        for (String user : new String[] {"alice", "bob", "carol"}) {
            assertThat(cli.run("register", user).code()).isZero();
            assertThat(cli.run("login", user).code()).isZero();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pendingInvitationsAndBansAreListedAndAnInvitationIsDeclined() throws Exception {
        assertThat(cli.run("--user", "alice", "group", "create", "team").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "invite", "team", "bob").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "ban", "team", "carol").code()).isZero();

        Cli.Result mine = cli.run("--user", "bob", "group", "invites");
        assertThat(mine.out()).startsWith("#team").contains("invited by alice, 20")
                .contains("'group join NAME' accepts, 'group decline NAME' declines");
        JsonNode json = new ObjectMapper().readTree(cli.run("--user", "alice", "group", "invites", "team", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("user").asText()).isEqualTo("bob");
        assertThat(json.get(0).get("by").asText()).isEqualTo("alice");
        assertThat(json.get(0).get("time").asText()).endsWith("Z");
        JsonNode bans = new ObjectMapper().readTree(cli.run("--user", "alice", "group", "bans", "#team", "--json").out());
        assertThat(bans.get(0).get("user").asText()).isEqualTo("carol");

        Cli.Result refused = cli.run("--user", "bob", "group", "bans", "team");
        assertThat(refused.code()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains("you are not a member of #team");

        assertThat(cli.run("--user", "bob", "group", "decline", "team").out()).contains("declined the invitation to #team");
        assertThat(cli.run("--user", "bob", "group", "invites").out()).isEqualTo("no pending invitations for you\n");
        Cli.Result again = cli.run("--user", "bob", "group", "decline", "team");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("you have no invitation to #team");
        assertThat(cli.run("--user", "alice", "group", "invites", "team").out()).isEqualTo("no pending invitations to #team\n");
    }

    @Test
    void anOwnerWithdrawsAnInvitationAndTheInviteeCanNoLongerJoin() throws Exception {
        assertThat(cli.run("--user", "alice", "group", "create", "team").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "invite", "team", "bob").code()).isZero();

        Cli.Result missing = cli.run("--user", "alice", "group", "uninvite", "team");
        assertThat(missing.code()).as(missing.toString()).isEqualTo(ExitCode.USAGE.value());
        assertThat(missing.err()).contains("group uninvite needs a group name and a user");
        Cli.Result stranger = cli.run("--user", "carol", "group", "uninvite", "team", "bob");
        assertThat(stranger.code()).as(stranger.toString()).isNotZero();
        assertThat(stranger.err()).contains("you are not a member of #team");
        Cli.Result none = cli.run("--user", "alice", "group", "uninvite", "team", "carol");
        assertThat(none.code()).as(none.toString()).isNotZero();
        assertThat(none.err()).contains("carol has no invitation to #team");

        Cli.Result done = cli.run("--user", "alice", "group", "uninvite", "#team", "bob");
        assertThat(done.code()).as(done.toString()).isZero();
        assertThat(done.out()).contains("bob is no longer invited to #team");
        assertThat(cli.run("--user", "bob", "group", "invites").out()).isEqualTo("no pending invitations for you\n");
        Cli.Result join = cli.run("--user", "bob", "group", "join", "team");
        assertThat(join.code()).as(join.toString()).isNotZero();
        assertThat(join.err()).contains("#team is invite-only");
        assertThat(cli.run("--user", "alice", "group", "invites", "team").out()).isEqualTo("no pending invitations to #team\n");
        assertThat(cli.run("--user", "alice", "help", "group").out()).contains("uninvite");
    }
}
