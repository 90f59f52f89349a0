package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.server.ProtocolClient.Reply;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CHAT and its events over raw sockets (docs/PROTOCOL.md sections 3 and 7). */
class ChatConversationTest extends ServerTestSupport {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    @Test
    void aMessageArrivesAsAnEventOnEveryConnectionOfTheUser() throws IOException {
        ProtocolClient bob = loggedIn("bob");
        ProtocolClient bobAgain = loggedIn("bob");

        assertThat(alice.command("CHAT bob lunch?"))
                .hasToString("250 delivered=2 message delivered to 2 connections of bob");

        assertThat(bob.event()).matches("\\* CHAT alice " + TIMESTAMP + " lunch\\?");
        assertThat(bobAgain.event()).matches("\\* CHAT alice " + TIMESTAMP + " lunch\\?");
        assertThat(alice.drainEvents()).isEmpty();
    }

    @Test
    void theMessageIsTheRestOfTheLineQuotesAndAll() throws IOException {
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("CHAT BOB   see you at 10, \"the usual place\" \\o/ \u65e5\u672c").text())
                .isEqualTo("delivered=1 message delivered to 1 connection of bob");
        assertThat(bob.event()).endsWith(" see you at 10, \"the usual place\" \\o/ \u65e5\u672c");
    }

    @Test
    void eventsArriveBetweenRepliesAndAreSetApart() throws IOException {
        ProtocolClient bob = loggedIn("bob");
        bob.command("MAKEDIR -p a/b/c");
        alice.command("CHAT bob one");
        alice.command("CHAT bob two");
        // bob's next reply comes after the events; the test client sets them apart
        Reply ls = bob.command("LS");
        assertThat(ls.code()).isEqualTo(212);
        assertThat(ls.lines()).hasSize(2);
        assertThat(bob.drainEvents()).hasSize(2)
                .satisfiesExactly(e -> assertThat(e).endsWith(" one"), e -> assertThat(e).endsWith(" two"));
    }

    @Test
    void aUserMayChatToTheirOwnConnections() throws IOException {
        ProtocolClient aliceAgain = loggedIn("alice");
        assertThat(alice.command("CHAT alice note to self").value("delivered")).isEqualTo("2");
        assertThat(alice.drainEvents()).singleElement().asString().endsWith(" note to self");
        assertThat(aliceAgain.event()).startsWith("* CHAT alice ");
    }

    @Test
    void anOfflineUserIs450() throws IOException {
        register("bob");
        assertThat(alice.command("CHAT bob hello")).hasToString("450 bob is not online");
    }

    @Test
    void aUserWhoLoggedOutOrLeftIsOffline() throws IOException {
        ProtocolClient bob = loggedIn("bob");
        bob.command("LOGOUT");
        assertThat(alice.command("CHAT bob hello").code()).isEqualTo(450);

        ProtocolClient bobAgain = loggedIn("bob");
        assertThat(alice.command("CHAT bob hello").code()).isEqualTo(250);
        bobAgain.abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.command("CHAT bob hello").code() == 450);
    }

    @Test
    void anUnknownUserIs550() throws IOException {
        assertThat(alice.command("CHAT carol hello")).hasToString("550 no such user: carol");
    }

    @Test
    void aMissingUserOrMessageIs501() throws IOException {
        loggedIn("bob");
        assertThat(alice.command("CHAT").code()).isEqualTo(501);
        assertThat(alice.command("CHAT bob").code()).isEqualTo(501);
        assertThat(alice.command("CHAT bob    ").code()).isEqualTo(501);
    }

    @Test
    void aMessageLongerThan4096BytesIs501() throws IOException {
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("CHAT bob " + "\u00e9".repeat(2049)).text()).isEqualTo("message too long (max 4096 bytes)");
        assertThat(alice.command("CHAT bob " + "\u00e9".repeat(2048)).code()).isEqualTo(250);
        assertThat(bob.event()).endsWith(" " + "\u00e9".repeat(2048));
    }
}
