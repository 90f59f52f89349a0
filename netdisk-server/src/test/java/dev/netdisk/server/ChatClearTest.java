package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.StoragePolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code HISTORY user|#group --clear} (issue 22, point 2: a user can free their chat history): it
 * deletes the messages you sent in that conversation, for both sides, and frees what {@code QUOTA}
 * shows as {@code chat}; what the other side sent stays, in order, and the conversation goes on.
 */
class ChatClearTest extends ServerTestSupport {

    private static final String SIXTY = "x".repeat(60);

    @Override
    ServerConfig config() {
        return super.config().withStorage(new StoragePolicy(10L << 20, Duration.ofDays(30))
                .withUserLimits(32, 64L << 20, 200, 0));
    }

    @Test
    void clearingAPrivateConversationDeletesWhatYouSentAndFreesYourChatHistory() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
        assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
        assertThat(alice.command("CHAT bob " + SIXTY).code()).isEqualTo(250);
        assertThat(bob.command("CHAT alice b1").code()).isEqualTo(250);
        assertThat(alice.command("CHAT bob " + SIXTY).code()).isEqualTo(250);
        assertThat(bob.command("CHAT alice b2").code()).isEqualTo(250);
        assertThat(alice.command("CHAT bob " + SIXTY).code()).isEqualTo(250);
        assertThat(alice.command("CHAT bob " + SIXTY).code()).as("200 bytes of chat history").isEqualTo(552);
        assertThat(alice.command("QUOTA").param("chat")).isEqualTo("180");

        Reply cleared = alice.command("HISTORY bob --clear");
        assertThat(cleared.code()).isEqualTo(250);
        assertThat(cleared.text()).isEqualTo("deleted 3 messages you sent to bob (180 bytes of chat history freed)");
        assertThat(alice.command("QUOTA").param("chat")).isEqualTo("0");
        assertThat(bob.command("QUOTA").param("chat")).isEqualTo("4");

        // Both sides see what bob sent, in order; paging back walks the relinked chain.
        assertThat(bodies(alice.command("HISTORY bob"))).containsExactly("b1", "b2");
        assertThat(bodies(bob.command("HISTORY alice"))).containsExactly("b1", "b2");
        Reply newest = alice.command("HISTORY bob 1");
        assertThat(bodies(newest)).containsExactly("b2");
        String b2 = newest.lines().get(0).split(" ")[0];
        assertThat(bodies(alice.command("HISTORY bob 5 " + b2))).containsExactly("b1");

        // The freed room is usable and the conversation goes on after what stayed.
        assertThat(alice.command("CHAT bob " + SIXTY).code()).isEqualTo(250);
        assertThat(bodies(bob.command("HISTORY alice"))).containsExactly("b1", "b2", SIXTY);
        assertThat(alice.command("HISTORY bob --clear").text()).startsWith("deleted 1 message you sent to bob (60 bytes");
        assertThat(alice.command("HISTORY bob --clear").text()).startsWith("deleted 0 messages");
    }

    @Test
    void clearingAConversationWhereOnlyYouSpokeEmptiesIt() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        assertThat(alice.command("CHAT alice note to self").code()).isEqualTo(250);
        assertThat(alice.command("HISTORY alice --clear").text()).startsWith("deleted 1 message you sent to alice");
        assertThat(alice.command("HISTORY alice").lines()).containsExactly("0 messages");
        assertThat(alice.command("CHAT alice again").code()).isEqualTo(250);
        assertThat(bodies(alice.command("HISTORY alice"))).containsExactly("again");
    }

    @Test
    void clearingAGroupDeletesWhatYouSentThere() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        assertThat(alice.command("GROUP CREATE team").code()).isEqualTo(250);
        assertThat(alice.command("CHAT #team " + SIXTY).code()).isEqualTo(250);
        assertThat(alice.command("CHAT #team hello").code()).isEqualTo(250);
        assertThat(alice.command("QUOTA").param("chat")).isEqualTo("65");
        assertThat(alice.command("HISTORY #team --clear").text())
                .isEqualTo("deleted 2 messages you sent to #team (65 bytes of chat history freed)");
        assertThat(alice.command("QUOTA").param("chat")).isEqualTo("0");
        assertThat(alice.command("HISTORY #team").lines()).containsExactly("0 messages");
    }

    @Test
    void badClearsArePreciselyRefused() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        Reply unknown = alice.command("HISTORY nobody --clear");
        assertThat(unknown.code()).isEqualTo(550);
        assertThat(unknown.text()).isEqualTo("no such user: nobody");
        Reply extra = alice.command("HISTORY alice 5 --clear");
        assertThat(extra.code()).isEqualTo(501);
        assertThat(extra.text()).isEqualTo("--clear takes no limit or before-id");
        assertThat(alice.command("HISTORY #nothing --clear").code()).isEqualTo(550);
    }

    /** The message texts of a HISTORY reply: each line is {@code ID TIME FROM TO TEXT}. */
    private static List<String> bodies(Reply history) {
        assertThat(history.code()).isEqualTo(211);
        List<String> lines = history.lines();
        return lines.subList(0, lines.size() - 1).stream().map(l -> l.split(" ", 5)[4]).toList();
    }
}
