package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, point 4: groups with an owner and admins, invite-only unless public, bans, history
 * from the join, hand-over; every refusal with its reply code and reason.
 */
class GroupRolesConversationTest extends ServerTestSupport {

    private static void expect(Reply reply, int code, String textStart) {
        assertThat(reply.code()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.text()).as(reply.toString()).startsWith(textStart);
    }

    @Test
    void anInviteOnlyGroupRefusesAStrangerAndAdmitsTheInvited() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient stranger = listening("mallory");

        expect(alice.command("GROUP CREATE team"), 250, "group #team created; you own it; it is invite-only");
        String before = alice.command("CHAT #team before bob").param("id");
        expect(stranger.command("GROUP JOIN team"), 550, "#team is invite-only: ask its owner or an admin");
        expect(stranger.command("GROUP INVITE team bob"), 550, "you are not a member of #team");
        expect(stranger.command("HISTORY #team"), 550, "you are not a member of #team");

        expect(alice.command("GROUP INVITE team bob"), 250, "bob invited to #team");
        assertThat(bob.event()).isEqualTo("* GROUP INVITED #team alice");
        expect(alice.command("GROUP INVITE team bob"), 521, "bob is already invited to #team");
        expect(bob.command("GROUP JOIN #team"), 250, "joined #team; you read its history from now on");
        expect(alice.command("GROUP INVITE team bob"), 521, "bob is already a member of #team");

        // History from the join: bob does not see what was said before he came.
        assertThat(alice.command("CHAT #team welcome").param("delivered")).isEqualTo("1");
        assertThat(bob.event()).endsWith(" alice #team welcome");
        assertThat(bob.command("HISTORY #team").body()).hasSize(1).noneMatch(l -> l.startsWith(before + " "));
        assertThat(alice.command("HISTORY #team").lines()).hasSize(3);
        expect(alice.command("GROUP SET team shared-history"), 250, "#team is invite-only; newcomers read its whole history");
        assertThat(bob.command("HISTORY #team").lines()).hasSize(3);
        expect(bob.command("GROUP SET team public"), 550, "only the owner or an admin of #team can change its settings");
        expect(alice.command("GROUP SET team loud"), 501, "unknown group setting: loud");
    }

    @Test
    void ownersAndAdminsKickBanPromoteRenameHandOverAndDelete() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient carol = listening("carol");
        ProtocolClient dave = listening("dave");
        alice.command("GROUP CREATE team");
        alice.command("GROUP SET team public");
        for (ProtocolClient c : new ProtocolClient[] {bob, carol, dave}) {
            expect(c.command("GROUP JOIN team"), 250, "joined #team");
        }

        expect(bob.command("GROUP KICK team carol"), 550, "only the owner or an admin of #team can remove members");
        expect(bob.command("GROUP PROMOTE team carol"), 550, "only the owner of #team can promote and demote members");
        expect(alice.command("GROUP PROMOTE team bob"), 250, "bob is now an admin of #team");
        assertThat(bob.event()).isEqualTo("* GROUP ROLE #team admin alice");
        assertThat(alice.command("GROUP MEMBERS team").lines()).contains("alice owner online", "bob admin online",
                "carol member online");

        // An admin bans a member, who may not come back until unbanned; an admin may not touch the owner.
        expect(bob.command("GROUP BAN team carol"), 250, "carol banned from #team");
        assertThat(carol.event()).isEqualTo("* GROUP BANNED #team bob");
        expect(carol.command("CHAT #team let me in"), 550, "you are not a member of #team");
        expect(carol.command("GROUP JOIN team"), 550, "you are banned from #team");
        expect(bob.command("GROUP BAN team carol"), 521, "carol is already banned from #team");
        expect(alice.command("GROUP INVITE team carol"), 550, "carol is banned from #team; GROUP UNBAN first");
        expect(bob.command("GROUP KICK team alice"), 550, "only the owner of #team can kick an admin");
        expect(bob.command("GROUP UNBAN team carol"), 250, "carol may join #team again");
        expect(carol.command("GROUP JOIN team"), 250, "joined #team");
        expect(bob.command("GROUP KICK team carol"), 250, "carol removed from #team");
        assertThat(carol.event()).isEqualTo("* GROUP KICKED #team bob");
        expect(bob.command("GROUP KICK team bob"), 501, "not on yourself");
        expect(bob.command("GROUP KICK team nobody"), 550, "no such user: nobody");
        expect(bob.command("GROUP KICK team carol"), 550, "carol is not a member of #team");

        expect(bob.command("GROUP RENAME team crew"), 250, "#team is now #crew");
        assertThat(dave.event()).isEqualTo("* GROUP RENAMED #team #crew bob");
        expect(dave.command("CHAT #team hello?"), 550, "no such group: #team");
        expect(dave.command("CHAT #crew hello"), 250, "id=");
        assertThat(bob.event()).endsWith(" dave #crew hello");
        alice.command("GROUP CREATE other");
        expect(bob.command("GROUP RENAME crew other"), 521, "group #other already exists");

        expect(bob.command("GROUP OWNER crew dave"), 550, "only the owner of #crew can hand it over");
        expect(alice.command("GROUP OWNER crew carol"), 550, "carol is not a member of #crew");
        expect(alice.command("GROUP OWNER crew dave"), 250, "dave now owns #crew; you are an admin");
        assertThat(alice.command("GROUP MEMBERS crew").lines()).contains("alice admin online", "dave owner online");
        expect(alice.command("GROUP DELETE crew"), 550, "only the owner of #crew can delete it");
        // Leaving is always possible, for anyone.
        expect(alice.command("GROUP LEAVE crew"), 250, "left #crew");
        expect(dave.command("GROUP DELETE crew"), 250, "#crew deleted with its history");
        assertThat(bob.drainEvents()).isEmpty();
        bob.command("NOOP");
        assertThat(bob.drainEvents()).contains("* GROUP DELETED #crew dave");
        expect(bob.command("HISTORY #crew"), 550, "no such group: #crew");
        expect(alice.command("GROUP EXPLODE crew"), 501, "unknown GROUP action");
    }

    @Test
    void invitationsAndBansAreListedAndAnInvitationCanBeDeclined() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient carol = listening("carol");
        ProtocolClient dave = listening("dave");
        alice.command("GROUP CREATE team");
        alice.command("GROUP CREATE crew");
        expect(alice.command("GROUP INVITE team carol"), 250, "carol invited to #team");
        expect(alice.command("GROUP INVITE crew carol"), 250, "carol invited to #crew");
        expect(alice.command("GROUP INVITE team bob"), 250, "bob invited to #team");
        expect(bob.command("GROUP JOIN team"), 250, "joined #team");
        expect(alice.command("GROUP BAN team dave"), 250, "dave banned from #team");
        carol.drainEvents();

        Reply mine = carol.command("GROUP INVITES");
        expect(mine, 211, "2 pending invitations for you");
        assertThat(mine.body()).hasSize(2).allMatch(l -> l.matches("#(team|crew) invited-by=alice at=\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}Z"));
        Reply team = alice.command("GROUP INVITES #team");
        expect(team, 211, "1 pending invitation to #team");
        assertThat(team.body()).singleElement().asString().startsWith("carol invited-by=alice at=");
        Reply bans = alice.command("GROUP BANS team");
        expect(bans, 211, "1 ban in #team");
        assertThat(bans.body()).singleElement().asString().startsWith("dave banned-by=alice at=");

        // Only the group's managers see its lists; the refusals say why.
        expect(bob.command("GROUP INVITES team"), 550, "only the owner or an admin of #team can list its invitations");
        expect(bob.command("GROUP BANS team"), 550, "only the owner or an admin of #team can list its bans");
        expect(carol.command("GROUP BANS team"), 550, "you are not a member of #team");
        expect(carol.command("GROUP BANS nosuch"), 550, "no such group: #nosuch");
        expect(carol.command("GROUP INVITES team crew"), 501, "too many arguments");
        expect(carol.command("GROUP BANS"), 501, "missing argument");

        // Declining: the invitation is gone, the inviter is told, joining is refused again.
        expect(carol.command("GROUP DECLINE #team"), 250, "declined the invitation to #team");
        assertThat(alice.event()).isEqualTo("* GROUP DECLINED #team carol");
        expect(carol.command("GROUP DECLINE team"), 550, "you have no invitation to #team");
        expect(carol.command("GROUP DECLINE nosuch"), 550, "no such group: #nosuch");
        expect(carol.command("GROUP JOIN team"), 550, "#team is invite-only");
        expect(carol.command("GROUP INVITES"), 211, "1 pending invitation for you");
        expect(alice.command("GROUP INVITES team"), 211, "0 pending invitations to #team");
        expect(alice.command("GROUP UNBAN team dave"), 250, "dave may join #team again");
        expect(alice.command("GROUP BANS team"), 211, "0 bans in #team");
    }

    @Test
    void anOwnerOrAdminWithdrawsAnInvitationAndTheInviteeCanNoLongerJoin() throws IOException {
        ProtocolClient alice = listening("alice");
        ProtocolClient bob = listening("bob");
        ProtocolClient carol = listening("carol");
        ProtocolClient dave = listening("dave");
        alice.command("GROUP CREATE team");
        expect(alice.command("GROUP INVITE team bob"), 250, "bob invited to #team");
        assertThat(bob.event()).isEqualTo("* GROUP INVITED #team alice");
        expect(bob.command("GROUP JOIN team"), 250, "joined #team");
        expect(alice.command("GROUP INVITE team carol"), 250, "carol invited to #team");
        assertThat(carol.event()).isEqualTo("* GROUP INVITED #team alice");

        // The refusals, each with its reason.
        expect(bob.command("GROUP UNINVITE team carol"), 550, "only the owner or an admin of #team can withdraw invitations");
        expect(dave.command("GROUP UNINVITE team carol"), 550, "you are not a member of #team");
        expect(alice.command("GROUP UNINVITE nosuch carol"), 550, "no such group: #nosuch");
        expect(alice.command("GROUP UNINVITE team nobody"), 550, "no such user: nobody");
        expect(alice.command("GROUP UNINVITE team dave"), 550, "dave has no invitation to #team");
        expect(alice.command("GROUP UNINVITE team bob"), 550, "bob has no invitation to #team");
        expect(alice.command("GROUP UNINVITE team alice"), 501, "not on yourself: you are a member of #team");
        expect(alice.command("GROUP UNINVITE team"), 501, "missing argument");

        // An admin withdraws the owner's invitation: carol is told, and may no longer join.
        expect(alice.command("GROUP PROMOTE team bob"), 250, "bob is now an admin of #team");
        assertThat(bob.event()).isEqualTo("* GROUP ROLE #team admin alice");
        expect(bob.command("GROUP UNINVITE #team carol"), 250, "carol is no longer invited to #team");
        assertThat(carol.event()).isEqualTo("* GROUP UNINVITED #team bob");
        expect(carol.command("GROUP INVITES"), 211, "0 pending invitations for you");
        expect(alice.command("GROUP INVITES team"), 211, "0 pending invitations to #team");
        expect(carol.command("GROUP JOIN team"), 550, "#team is invite-only: ask its owner or an admin");
        expect(carol.command("GROUP DECLINE team"), 550, "you have no invitation to #team");
        expect(alice.command("GROUP UNINVITE team carol"), 550, "carol has no invitation to #team");
        for (ProtocolClient c : new ProtocolClient[] {alice, bob, carol, dave}) {
            c.command("NOOP");
            assertThat(c.drainEvents()).as("nobody else is told").isEmpty();
        }

        // Invited again, she joins.
        expect(alice.command("GROUP INVITE team carol"), 250, "carol invited to #team");
        expect(carol.command("GROUP JOIN team"), 250, "joined #team");
    }
}
