package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.session.Env;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 19, point 5: a file sent to a friend or a group, fetched with one command, revocable like any link. */
class ChatFileTest extends CliTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void friendsAndAGroup() {
        loggedIn("alice");
        loggedIn("bob");
        loggedIn("carol");
        assertThat(cli.run("--user", "alice", "friend", "add", "bob").code()).isZero();
        assertThat(cli.run("--user", "bob", "friend", "accept", "alice").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "create", "team").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "invite", "team", "carol").code()).isZero();
        assertThat(cli.run("--user", "carol", "group", "join", "team").code()).isZero();
    }

    @Test
    void aFileSentToAFriendIsFetchedWithOneCommandAndRevocable() throws Exception {
        Files.writeString(work.resolve("report.txt"), "the quarterly numbers\n");
        Cli.Result sent = cli.run("--user", "alice", "chat", "bob", "--file", "report.txt", "numbers", "attached");
        assertThat(sent.code()).as(sent.toString()).isZero();

        JsonNode message = JSON.readTree(cli.run("--user", "bob", "history", "--json", "alice").out()).get(0);
        JsonNode file = message.get("file");
        assertThat(file.get("name").asText()).isEqualTo("report.txt");
        assertThat(file.get("size").asLong()).isEqualTo(22);
        String code = file.get("code").asText();
        assertThat(cli.run("--user", "bob", "history", "alice").out())
                .contains("alice -> bob: sent report.txt (22 bytes): netdisk fetch " + code + "\n    numbers attached");

        Files.createDirectories(work.resolve("inbox"));
        Cli.Result fetched = cli.run("--user", "bob", "fetch", code, "inbox/");
        assertThat(fetched.code()).as(fetched.toString()).isZero();
        assertThat(Files.readString(work.resolve("inbox/report.txt"))).isEqualTo("the quarterly numbers\n");

        // The sender's copy lives in their space and the link is listed and revocable like any other.
        assertThat(cli.run("--user", "alice", "share", "links").out()).contains(code).contains("/sent/");
        assertThat(cli.run("--user", "alice", "unshare", "link", code).code()).isZero();
        assertThat(cli.run("--user", "bob", "fetch", "--overwrite", code, "inbox/").code()).isNotZero();
    }

    @Test
    void aRemoteFileGoesToAGroupFromTheShellWithTheNoteAsTyped() throws Exception {
        Files.writeString(work.resolve("plan.txt"), "step 1");
        assertThat(cli.run("--user", "alice", "upload", "plan.txt", "/plan.txt").code()).isZero();
        cli.env(Env.PASSWORD, PASSWORD);
        Cli.Result r = cli.runWithStdin("chat #team --remote-file /plan.txt read this; then \"act\"\n", "--user", "alice");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode message = JSON.readTree(cli.run("--user", "carol", "history", "--json", "#team").out()).get(0);
        assertThat(message.get("text").asText()).endsWith("\nread this; then \"act\"");
        String code = message.get("file").get("code").asText();
        Files.createDirectories(work.resolve("got"));
        assertThat(cli.run("--user", "carol", "fetch", code, "got/").code()).isZero();
        assertThat(Files.readString(work.resolve("got/plan.txt"))).isEqualTo("step 1");
    }
}
