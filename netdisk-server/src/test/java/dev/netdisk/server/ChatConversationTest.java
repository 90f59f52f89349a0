package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.config.Limits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chat as three real clients see it: friends, presence, private and group messages, offline
 * delivery, history, and the refusals of docs/PROTOCOL.md section 7.
 */
class ChatConversationTest extends ServerTestSupport {

    /** Makes {@code a} and {@code b} friends: a request, its event, and the acceptance. */
    private void befriend(ProtocolClient a, String aName, ProtocolClient b, String bName) throws IOException {
        assertThat(a.command("FRIEND ADD " + bName).text()).isEqualTo("friend request sent to " + bName);
        assertThat(b.event()).isEqualTo("* FRIEND REQUEST " + aName);
        assertThat(b.command("FRIEND ACCEPT " + aName).text()).isEqualTo("you and " + aName + " are now friends");
        assertThat(a.event()).isEqualTo("* FRIEND ACCEPTED " + bName);
    }

    @Test
    void friendRequestAcceptAndListShowOnlineState() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        listening("carol");

        assertThat(alice.command("FRIEND ADD carol").code()).isEqualTo(250);
        Reply pending = alice.command("FRIEND LIST");
        assertThat(pending.lines()).containsExactly("request-to carol", "0 friends, 1 pending requests");

        befriend(alice, "alice", bob, "bob");
        Reply list = alice.command("FRIEND LIST");
        assertThat(list.code()).isEqualTo(211);
        assertThat(list.lines()).containsExactly("friend bob online", "request-to carol", "1 friends, 1 pending requests");
        assertThat(alice.command("WHO").lines()).containsExactly("bob", "1 online");

        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(521);
        assertThat(alice.command("FRIEND ADD alice").code()).isEqualTo(501);
        assertThat(alice.command("FRIEND ADD nobody").code()).isEqualTo(550);
        assertThat(alice.command("FRIEND ACCEPT carol").text()).isEqualTo("no friend request from carol");
        assertThat(alice.command("FRIEND HUG bob").code()).isEqualTo(501);
        assertThat(alice.command("FRIEND").code()).isEqualTo(501);
    }

    @Test
    void crossedRequestsMakeFriendsAndDeclineAndRemoveTellTheOtherSide() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        alice.command("FRIEND ADD bob");
        assertThat(bob.event()).isEqualTo("* FRIEND REQUEST alice");
        assertThat(bob.command("FRIEND DECLINE alice").code()).isEqualTo(250);
        assertThat(alice.event()).isEqualTo("* FRIEND DECLINED bob");

        alice.command("FRIEND ADD bob");
        bob.event();
        assertThat(bob.command("FRIEND ADD alice").text()).isEqualTo("you and alice are now friends");
        assertThat(alice.event()).isEqualTo("* FRIEND ACCEPTED bob");

        assertThat(alice.command("FRIEND REMOVE bob").code()).isEqualTo(250);
        assertThat(bob.event()).isEqualTo("* FRIEND REMOVED alice");
        assertThat(bob.command("FRIEND REMOVE alice").code()).isEqualTo(550);
        assertThat(alice.command("CHAT bob still there?").text()).startsWith("bob is not your friend");
    }

    @Test
    void presenceEventsOnFirstLoginAndLastLogout() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        befriend(alice, "alice", bob, "bob");

        bob.command("QUIT");
        assertThat(alice.event()).isEqualTo("* OFFLINE bob");

        ProtocolClient bob2 = listening("bob");
        assertThat(alice.event()).isEqualTo("* ONLINE bob");
        ProtocolClient bob3 = listening("bob");
        // A second connection of an online user is not news; its end is not either.
        bob3.command("LOGOUT");
        bob2.abort();
        assertThat(alice.event()).isEqualTo("* OFFLINE bob");
        assertThat(alice.command("NOOP").code()).isEqualTo(200);
        assertThat(alice.drainEvents()).isEmpty();
    }

    @Test
    void privateMessagesReachEveryConnectionAndAreRefusedToStrangers() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient bobPhone = listening("bob");
        ProtocolClient carol = listening("carol");
        befriend(alice, "alice", bob, "bob");
        bobPhone.command("NOOP"); // reads past the friend request the phone saw too
        bobPhone.drainEvents();

        Reply sent = alice.command("CHAT bob see you at 10, \"the usual place\"");
        assertThat(sent.code()).isEqualTo(250);
        assertThat(sent.param("delivered")).isEqualTo("2");
        assertThat(sent.param("stored")).isEqualTo("0");
        String id = sent.param("id");
        String expected = "alice bob see you at 10, \"the usual place\"";
        assertThat(bob.event()).startsWith("* CHAT " + id + " ").endsWith(expected);
        assertThat(bobPhone.event()).startsWith("* CHAT " + id + " ").endsWith(expected);

        assertThat(carol.command("CHAT bob hi").code()).isEqualTo(550);
        assertThat(carol.command("CHAT nobody hi").text()).isEqualTo("no such user: nobody");
        assertThat(carol.command("CHAT bob").code()).isEqualTo(501);
        assertThat(carol.command("CHAT").code()).isEqualTo(501);
        assertThat(alice.command("CHAT bob " + "x".repeat(4097)).text()).startsWith("message too long");
        assertThat(bob.command("NOOP").code()).isEqualTo(200);
        assertThat(bob.drainEvents()).isEmpty();
    }

    @Test
    void groupMessagesFanOutToMembersOnly() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient carol = listening("carol");
        ProtocolClient dave = listening("dave");

        assertThat(alice.command("GROUP CREATE team").code()).isEqualTo(250);
        alice.command("GROUP SET team public");  // invite-only by default
        assertThat(alice.command("GROUP CREATE #team").code()).isEqualTo(521);
        assertThat(alice.command("GROUP CREATE Bad/Name").code()).isEqualTo(553);
        assertThat(bob.command("GROUP JOIN #team").code()).isEqualTo(250);
        assertThat(carol.command("GROUP JOIN team").code()).isEqualTo(250);
        assertThat(carol.command("GROUP JOIN team").code()).isEqualTo(521);
        assertThat(dave.command("GROUP JOIN nope").code()).isEqualTo(550);

        Reply sent = alice.command("CHAT #team standup in 5");
        assertThat(sent.param("delivered")).isEqualTo("2");
        assertThat(bob.event()).endsWith(" alice #team standup in 5");
        assertThat(carol.event()).endsWith(" alice #team standup in 5");

        assertThat(dave.command("CHAT #team let me in").text()).isEqualTo("you are not a member of #team");
        assertThat(dave.command("GROUP MEMBERS team").code()).isEqualTo(550);
        assertThat(alice.command("GROUP MEMBERS team").lines())
                .containsExactly("alice owner online", "bob member online", "carol member online", "3 members of #team");
        assertThat(bob.command("GROUP LIST").lines()).containsExactly("#team owner=alice members=3 role=member access=public", "1 group");

        assertThat(bob.command("GROUP KICK team carol").text()).startsWith("only the owner");
        assertThat(alice.command("GROUP KICK team carol").code()).isEqualTo(250);
        assertThat(carol.event()).isEqualTo("* GROUP KICKED #team alice");
        assertThat(carol.command("CHAT #team hello?").code()).isEqualTo(550);

        // The owner leaving hands the group to the longest-standing member.
        assertThat(alice.command("GROUP LEAVE team").code()).isEqualTo(250);
        assertThat(bob.command("GROUP LIST").lines()).containsExactly("#team owner=bob members=1 role=owner access=public", "1 group");
        assertThat(dave.drainEvents()).isEmpty();
    }

    @Test
    void offlineMessagesArriveInOrderRightAfterTheNextLogin() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        befriend(alice, "alice", bob, "bob");
        alice.command("GROUP CREATE team");
        alice.command("GROUP SET team public");  // invite-only by default
        bob.command("GROUP JOIN team");
        bob.command("QUIT");
        alice.event();

        for (int i = 1; i <= 3; i++) {
            Reply sent = alice.command("CHAT bob note " + i);
            assertThat(sent.param("delivered")).isEqualTo("0");
            assertThat(sent.param("stored")).isEqualTo("1");
        }
        alice.command("CHAT #team to the team");

        // A login alone takes nothing: a one-shot command leaves the messages for the listener.
        ProtocolClient oneShot = loggedIn("bob");
        assertThat(oneShot.command("LS /").code()).isEqualTo(212);
        oneShot.command("QUIT");
        assertThat(alice.command("NOOP").code()).isEqualTo(200);
        assertThat(alice.drainEvents()).as("a one-shot login is not presence news").isEmpty();

        ProtocolClient back = loggedIn("bob");
        back.send("LISTEN");
        // The 250 comes first, then the waiting messages, oldest first.
        assertThat(back.readLine()).startsWith("250 heartbeat=").contains(" backlog=4 ");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(back.event());
        }
        assertThat(events.get(0)).endsWith("alice bob note 1");
        assertThat(events.get(1)).endsWith("alice bob note 2");
        assertThat(events.get(2)).endsWith("alice bob note 3");
        assertThat(events.get(3)).endsWith("alice #team to the team");

        // Delivered once: a later listener gets nothing more.
        back.command("QUIT");
        ProtocolClient again = listening("bob");
        assertThat(again.command("NOOP").code()).isEqualTo(200);
        assertThat(again.drainEvents()).isEmpty();
    }

    @Test
    void historyPagesBackwardsNewestLast() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        befriend(alice, "alice", bob, "bob");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ProtocolClient from = i % 2 == 0 ? bob : alice;
            ids.add(from.command("CHAT " + (from == bob ? "alice" : "bob") + " message " + i).param("id"));
        }

        Reply newest = alice.command("HISTORY bob 2");
        assertThat(newest.code()).isEqualTo(211);
        assertThat(newest.lines()).hasSize(3);
        assertThat(newest.lines().get(0)).startsWith(ids.get(3) + " ").endsWith(" bob alice message 4");
        assertThat(newest.lines().get(1)).startsWith(ids.get(4) + " ").endsWith(" alice bob message 5");
        assertThat(newest.text()).isEqualTo("2 messages");

        Reply older = bob.command("HISTORY alice 10 " + ids.get(3));
        assertThat(older.lines()).hasSize(4);
        assertThat(older.lines().get(0)).endsWith("message 1");
        assertThat(older.lines().get(2)).endsWith("message 3");

        assertThat(alice.command("HISTORY bob 0").code()).isEqualTo(501);
        assertThat(alice.command("HISTORY bob 501").code()).isEqualTo(501);
        assertThat(alice.command("HISTORY bob ten").code()).isEqualTo(501);
        assertThat(alice.command("HISTORY nobody").code()).isEqualTo(550);
        assertThat(alice.command("HISTORY #nogroup").code()).isEqualTo(550);
    }

    @Test
    void historyKeepsInterleavedConversationsApartWhateverTheBeforeId() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient carol = listening("carol");
        befriend(alice, "alice", bob, "bob");
        befriend(alice, "alice", carol, "carol");
        List<String> withBob = new ArrayList<>();
        List<String> withCarol = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            withBob.add(alice.command("CHAT bob to bob " + i).param("id"));
            withCarol.add(carol.command("CHAT alice from carol " + i).param("id"));
        }

        assertThat(bob.command("HISTORY alice").lines()).hasSize(5).allMatch(l -> !l.contains("carol"));
        assertThat(alice.command("HISTORY carol").lines()).hasSize(5).allMatch(l -> !l.contains("bob"));
        // A before-id from another conversation still bounds this one: alice-bob messages older than carol's third.
        Reply bounded = alice.command("HISTORY bob 10 " + withCarol.get(2));
        assertThat(bounded.lines()).hasSize(4);
        assertThat(bounded.lines().get(0)).startsWith(withBob.get(0) + " ");
        assertThat(bounded.lines().get(2)).startsWith(withBob.get(2) + " ");
        // An id below every message: nothing, and an id past the newest: everything.
        assertThat(alice.command("HISTORY bob 10 1").text()).isEqualTo("0 messages");
        assertThat(alice.command("HISTORY bob 10 999999").lines()).hasSize(5);
    }

    @Test
    void aFloodIsCutOffWithoutDisturbingOthers() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient carol = listening("carol");
        befriend(alice, "alice", bob, "bob");
        befriend(carol, "carol", bob, "bob");

        int burst = Limits.defaults().chatBurst();
        for (int i = 0; i < burst * 3; i++) {
            alice.send("CHAT bob flood " + i);
        }
        int refused = 0;
        for (int i = 0; i < burst * 3; i++) {
            Reply reply = alice.reply();
            assertThat(reply.code()).isIn(250, 450);
            if (reply.code() == 450) {
                assertThat(reply.text()).startsWith("rate limit exceeded");
                refused++;
            }
        }
        assertThat(refused).isPositive();
        assertThat(carol.command("CHAT bob unaffected").code()).isEqualTo(250);
    }

    @Test
    void chatNeedsALogin() throws IOException {
        ProtocolClient anonymous = connect();
        for (String line : List.of("CHAT bob hi", "FRIEND LIST", "WHO", "USERS a", "GROUP LIST", "HISTORY bob")) {
            assertThat(anonymous.command(line).code()).as(line).isEqualTo(530);
        }
    }

    @Test
    void usersFindsNamesByPrefix() throws IOException {
        ProtocolClient alice = listening("alice");
        listening("albert");
        listening("bob");
        assertThat(alice.command("USERS al").lines()).containsExactly("albert", "alice", "2 users");
        assertThat(alice.command("USERS %%").lines()).containsExactly("0 users");
        assertThat(alice.command("USERS").code()).isEqualTo(501);
    }

    @Test
    void chatFlowsWhileALargeUploadRuns() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        befriend(alice, "alice", bob, "bob");
        Payload big = Payload.random(42, 256L << 20);
        Reply ticket = uploadTicket(alice, "big.bin", big);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(big, 0, big.size() / 2);
            // Half the bytes are in and the data connection is still open: chat goes on both ways.
            for (int i = 0; i < 5; i++) {
                assertThat(alice.command("CHAT bob ping " + i).code()).isEqualTo(250);
                assertThat(bob.event()).endsWith("alice bob ping " + i);
                assertThat(bob.command("CHAT alice pong " + i).code()).isEqualTo(250);
                assertThat(alice.event()).endsWith("bob alice pong " + i);
            }
            data.sendBytes(big, big.size() / 2, big.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }
}
