package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, point 3: only connections that {@code LISTEN} are online, get messages and take the
 * backlog; a listener resumes after an id; unread counts and read markers are per user.
 */
class ListenConversationTest extends ServerTestSupport {

    private void friends(ProtocolClient a, String bName, ProtocolClient b, String aName) throws IOException {
        assertThat(a.command("FRIEND ADD " + bName).code()).isEqualTo(250);
        assertThat(b.command("FRIEND ACCEPT " + aName).code()).isEqualTo(250);
        a.command("NOOP");
        a.drainEvents();
        b.drainEvents();
    }

    @Test
    void oneShotCommandsMakeNoPresenceNoiseAndGetNoEvents() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        friends(alice, "bob", bob, "alice");

        ProtocolClient carolCron = loggedIn("carol");
        ProtocolClient bobCron = loggedIn("bob");
        assertThat(bobCron.command("LS /").code()).isEqualTo(212);
        bobCron.command("QUIT");
        assertThat(alice.command("CHAT bob hi").param("delivered")).isEqualTo("1");
        assertThat(bob.event()).endsWith(" alice bob hi");
        assertThat(alice.command("NOOP").code()).isEqualTo(200);
        assertThat(alice.drainEvents()).isEmpty();
        assertThat(carolCron.command("NOOP").code()).isEqualTo(200);
        assertThat(carolCron.drainEvents()).isEmpty();

        // The listener's LISTEN OFF and QUIT are what make bob go offline.
        assertThat(bob.command("LISTEN OFF").code()).isEqualTo(250);
        assertThat(alice.event()).isEqualTo("* OFFLINE bob");
        assertThat(alice.command("WHO").lines()).containsExactly("0 online");
        Reply kept = alice.command("CHAT bob are you there?");
        assertThat(kept.param("delivered")).isEqualTo("0");
        assertThat(kept.param("stored")).isEqualTo("1");
        bob.send("LISTEN");
        assertThat(bob.readLine()).startsWith("250 ").contains("backlog=1");
        assertThat(bob.event()).endsWith(" alice bob are you there?");
        assertThat(alice.event()).isEqualTo("* ONLINE bob");
    }

    @Test
    void aResumingListenerGetsEveryMessageAfterItsLastIdEvenThoseAnotherConnectionSaw() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        friends(alice, "bob", bob, "alice");
        alice.command("GROUP CREATE team");
        alice.command("GROUP SET team public");  // invite-only by default
        bob.command("GROUP JOIN team");

        String seen = alice.command("CHAT bob one").param("id");
        bob.event();
        ProtocolClient bobPhone = listening("bob");  // keeps bob online while the other connection is away
        bob.abort();
        List<String> missed = new ArrayList<>();
        missed.add(alice.command("CHAT bob two").param("id"));
        missed.add(alice.command("CHAT #team three").param("id"));
        bobPhone.event();
        bobPhone.event();

        ProtocolClient back = loggedIn("bob");
        back.send("LISTEN " + seen);
        assertThat(back.readLine()).contains("backlog=2");
        assertThat(back.event()).startsWith("* CHAT " + missed.get(0) + " ").endsWith(" alice bob two");
        assertThat(back.event()).startsWith("* CHAT " + missed.get(1) + " ").endsWith(" alice #team three");
        assertThat(back.command("LISTEN x").code()).isEqualTo(501);

        // A newcomer resuming from an old id gets no group messages from before they joined.
        ProtocolClient carol = listening("carol");
        alice.command("GROUP INVITE team carol");
        carol.event();
        assertThat(carol.command("GROUP JOIN team").code()).isEqualTo(250);
        String after = alice.command("CHAT #team four").param("id");
        carol.event();
        ProtocolClient carolBack = loggedIn("carol");
        carolBack.send("LISTEN 0");
        assertThat(carolBack.readLine()).contains("backlog=1");
        assertThat(carolBack.event()).startsWith("* CHAT " + after + " ").endsWith(" alice #team four");
    }

    @Test
    void unreadCountsAndReadMarkersAreSharedByTheUsersConnections() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient bobOther = loggedIn("bob");
        friends(alice, "bob", bob, "alice");
        alice.command("GROUP CREATE team");
        alice.command("GROUP SET team public");  // invite-only by default
        bob.command("GROUP JOIN team");

        assertThat(bob.command("UNREAD").lines()).containsExactly("0 unread in 0 conversations");
        alice.command("CHAT bob a");
        String second = alice.command("CHAT bob b").param("id");
        bob.command("CHAT alice mine do not count");
        String third = alice.command("CHAT bob c").param("id");
        String group = alice.command("CHAT #team d").param("id");

        assertThat(bob.command("UNREAD").lines()).containsExactly(
                "alice unread=3 newest=" + third + " read=0",
                "#team unread=1 newest=" + group + " read=0",
                "4 unread in 2 conversations");
        assertThat(bobOther.command("READ alice " + second).text()).startsWith("read=" + second + " ");
        assertThat(bob.command("UNREAD").lines().get(0)).isEqualTo("alice unread=1 newest=" + third + " read=" + second);
        // A marker never moves back; without an id it moves to the newest message.
        assertThat(bob.command("READ alice 1").param("read")).isEqualTo(second);
        assertThat(bob.command("READ #team").param("read")).isEqualTo(group);
        assertThat(bob.command("READ alice").param("read")).isEqualTo(third);
        assertThat(bobOther.command("UNREAD").lines()).containsExactly("0 unread in 0 conversations");
        // Alice did not read her side.
        assertThat(alice.command("UNREAD").lines()).containsExactly(
                "bob unread=1 newest=" + third + " read=0", "1 unread in 1 conversation");

        assertThat(bob.command("READ nobody").code()).isEqualTo(550);
        assertThat(bob.command("READ #nogroup").code()).isEqualTo(550);
        assertThat(bob.command("READ").code()).isEqualTo(501);
    }

    @Test
    void aMovedReadMarkerIsToldToTheUsersOtherListeningConnections() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bobLaptop = listening("bob");
        friends(alice, "bob", bobLaptop, "alice");
        alice.command("GROUP CREATE team");
        alice.command("GROUP INVITE team bob");
        bobLaptop.command("GROUP JOIN team");
        ProtocolClient bobPhone = listening("bob");
        ProtocolClient bobCron = loggedIn("bob");
        bobLaptop.command("NOOP");
        bobLaptop.drainEvents();

        String first = alice.command("CHAT bob one").param("id");
        String second = alice.command("CHAT bob two").param("id");
        String group = alice.command("CHAT #team three").param("id");
        for (ProtocolClient bob : List.of(bobLaptop, bobPhone)) {
            for (int i = 0; i < 3; i++) {
                assertThat(bob.event()).startsWith("* CHAT ");
            }
        }

        // The phone reads: the laptop is told; the phone is not (its reply says it).
        assertThat(bobPhone.command("READ alice " + first).param("read")).isEqualTo(first);
        assertThat(bobLaptop.event()).isEqualTo("* READ alice " + first);
        // A READ that moves nothing tells nobody (else the next event below would be this one).
        assertThat(bobLaptop.command("READ alice " + first).param("read")).isEqualTo(first);
        assertThat(bobLaptop.command("READ alice 1").param("read")).isEqualTo(first);
        // A connection that does not listen reads: every listening one is told.
        assertThat(bobCron.command("READ #team").param("read")).isEqualTo(group);
        assertThat(bobLaptop.event()).isEqualTo("* READ #team " + group);
        assertThat(bobPhone.event()).isEqualTo("* READ #team " + group);
        assertThat(bobLaptop.command("READ alice").param("read")).isEqualTo(second);
        assertThat(bobPhone.event()).isEqualTo("* READ alice " + second);

        for (ProtocolClient c : List.of(alice, bobLaptop, bobPhone, bobCron)) {
            c.command("NOOP");
            assertThat(c.drainEvents()).as("nothing more, and nothing for alice").isEmpty();
        }
        assertThat(bobPhone.command("UNREAD").lines()).containsExactly("0 unread in 0 conversations");
    }
}
