package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chat through the chat writer's group commit, as real clients see it: a burst of pipelined
 * messages keeps its order in the replies, the events, the history and the offline queue, and
 * the cached group membership follows join, leave and kick. The rate limit is lifted
 * ({@code chat-per-second = 0}) so that bursts fill batches.
 */
class ChatBatchingTest extends ServerTestSupport {

    private static final int BURST = 200;

    @Override
    ServerConfig config() {
        return super.config().withLimits(Limits.defaults().withChatRate(0, 1));
    }

    private void befriend(ProtocolClient a, String aName, ProtocolClient b, String bName) throws IOException {
        assertThat(a.command("FRIEND ADD " + bName).code()).isEqualTo(250);
        assertThat(b.event()).isEqualTo("* FRIEND REQUEST " + aName);
        assertThat(b.command("FRIEND ACCEPT " + aName).code()).isEqualTo(250);
        assertThat(a.event()).isEqualTo("* FRIEND ACCEPTED " + bName);
    }

    /** Sends every line at once (pipelined), then reads the replies: each must be 250; returns their ids. */
    private static List<Long> burst(ProtocolClient c, List<String> lines) throws IOException {
        for (String line : lines) {
            c.send(line);
        }
        List<Long> ids = new ArrayList<>();
        for (String line : lines) {
            Reply r = c.reply();
            assertThat(r.code()).as(line).isEqualTo(250);
            ids.add(Long.parseLong(r.param("id")));
        }
        return ids;
    }

    private static List<String> messages(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + " " + i);
        }
        return out;
    }

    @Test
    void twoPipelinedBurstsKeepTheirOrderInRepliesEventsAndHistory() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        befriend(alice, "alice", bob, "bob");

        List<String> fromAlice = messages("a", BURST);
        List<String> fromBob = messages("b", BURST);
        for (int i = 0; i < BURST; i++) {
            alice.send("CHAT bob " + fromAlice.get(i));
            bob.send("CHAT alice " + fromBob.get(i));
        }
        List<Long> aliceIds = new ArrayList<>();
        List<String> bobSaw = new ArrayList<>();
        while (aliceIds.size() < BURST) {
            String line = alice.readLine();
            if (line.startsWith("* CHAT ")) {
                bobSaw.add(line); // alice's own view of bob's messages, checked below
            } else {
                assertThat(line).startsWith("250 ");
                aliceIds.add(Long.parseLong(line.replaceAll(".*\\bid=(\\d+).*", "$1")));
            }
        }
        assertThat(aliceIds).isSorted().doesNotHaveDuplicates();

        List<String> bodies = new ArrayList<>();
        List<Long> eventIds = new ArrayList<>();
        int replies = 0;
        while (bodies.size() < BURST || replies < BURST) {
            String line = bob.readLine();
            if (line.startsWith("* CHAT ")) {
                String[] f = line.split(" ", 7);
                assertThat(f[4]).isEqualTo("alice");
                eventIds.add(Long.parseLong(f[2]));
                bodies.add(f[6]);
            } else {
                assertThat(line).startsWith("250 ");
                replies++;
            }
        }
        assertThat(bodies).containsExactlyElementsOf(fromAlice);
        assertThat(eventIds).containsExactlyElementsOf(aliceIds);

        // HISTORY after the burst is exactly what was sent, in id order.
        Reply history = alice.command("HISTORY bob 500");
        List<String> lines = history.lines().subList(0, history.lines().size() - 1);
        assertThat(lines).hasSize(2 * BURST);
        List<String> aliceInHistory = lines.stream().filter(l -> l.contains(" alice bob "))
                .map(l -> l.substring(l.indexOf(" alice bob ") + " alice bob ".length())).toList();
        List<String> bobInHistory = lines.stream().filter(l -> l.contains(" bob alice "))
                .map(l -> l.substring(l.indexOf(" bob alice ") + " bob alice ".length())).toList();
        assertThat(aliceInHistory).containsExactlyElementsOf(fromAlice);
        assertThat(bobInHistory).containsExactlyElementsOf(fromBob);
        assertThat(lines.stream().map(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).toList()).isSorted();
    }

    @Test
    void aBurstToAnOfflineFriendArrivesInOrderAtTheNextLogin() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        befriend(alice, "alice", bob, "bob");
        bob.command("QUIT");
        assertThat(alice.event()).isEqualTo("* OFFLINE bob");

        List<String> sent = messages("while you were out", BURST);
        List<String> lines = sent.stream().map(m -> "CHAT bob " + m).toList();
        for (String line : lines) {
            alice.send(line);
        }
        for (String line : lines) {
            Reply r = alice.reply();
            assertThat(r.code()).isEqualTo(250);
            assertThat(r.param("stored")).isEqualTo("1");
            assertThat(r.param("delivered")).isEqualTo("0");
        }

        ProtocolClient back = loggedIn("bob");
        back.command("LISTEN");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            String event = back.event();
            bodies.add(event.split(" ", 7)[6]);
        }
        assertThat(bodies).containsExactlyElementsOf(sent);
    }

    @Test
    void groupMembershipFollowsJoinLeaveAndKick() throws IOException {
        ProtocolClient owner = listening("owner");
        ProtocolClient carol = listening("carol");
        assertThat(owner.command("GROUP CREATE team").code()).isEqualTo(250);
        owner.command("GROUP SET team public");  // invite-only by default
        // The members are cached by the first message.
        assertThat(owner.command("CHAT #team alone").param("delivered")).isEqualTo("0");

        assertThat(carol.command("GROUP JOIN team").code()).isEqualTo(250);
        assertThat(owner.command("CHAT #team welcome").param("delivered")).isEqualTo("1");
        assertThat(carol.event()).endsWith(" owner #team welcome");
        assertThat(carol.command("CHAT #team thanks").code()).isEqualTo(250);
        assertThat(owner.event()).endsWith(" carol #team thanks");

        assertThat(carol.command("GROUP LEAVE team").code()).isEqualTo(250);
        assertThat(owner.command("CHAT #team gone?").param("delivered")).isEqualTo("0");
        assertThat(carol.command("CHAT #team let me back").code()).isEqualTo(550);

        assertThat(carol.command("GROUP JOIN team").code()).isEqualTo(250);
        assertThat(owner.command("CHAT #team back").param("delivered")).isEqualTo("1");
        assertThat(carol.event()).endsWith(" owner #team back");

        assertThat(owner.command("GROUP KICK team carol").code()).isEqualTo(250);
        assertThat(carol.event()).isEqualTo("* GROUP KICKED #team owner");
        assertThat(owner.command("CHAT #team kicked").param("delivered")).isEqualTo("0");
        Reply refused = carol.command("CHAT #team hey");
        assertThat(refused.code()).isEqualTo(550);
        assertThat(refused.text()).isEqualTo("you are not a member of #team");
        assertThat(carol.drainEvents()).isEmpty();

        // The last member leaving deletes the group; a new group of the same name starts empty.
        assertThat(owner.command("GROUP LEAVE team").code()).isEqualTo(250);
        assertThat(carol.command("GROUP CREATE team").code()).isEqualTo(250);
        carol.command("GROUP SET team public");  // invite-only by default
        assertThat(carol.command("CHAT #team mine now").param("delivered")).isEqualTo("0");
        assertThat(owner.command("CHAT #team hello?").code()).isEqualTo(550);
    }
}
