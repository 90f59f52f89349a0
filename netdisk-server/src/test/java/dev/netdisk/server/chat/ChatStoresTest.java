package dev.netdisk.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three chat stores (friends, groups, messages) on a real SQLite database. */
class ChatStoresTest {

    @TempDir
    Path dir;

    private Database db;
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private User alice;
    private User bob;
    private User carol;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("netdisk.db"), 2);
        UserStore users = new UserStore(db, new FileTree(db, clock), new PasswordHasher(1_000), clock);
        alice = users.register("alice", "secret-password").orElseThrow();
        bob = users.register("bob", "secret-password").orElseThrow();
        carol = users.register("carol", "secret-password").orElseThrow();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Nested
    class Friends {

        @Test
        void aRequestAcceptedMakesFriendsBothWays() throws Exception {
            FriendStore friends = new FriendStore(db, clock);
            assertThat(friends.requestFriend(alice.id(), bob.id())).isEqualTo(FriendStore.RequestResult.SENT);
            assertThat(friends.requestFriend(alice.id(), bob.id())).isEqualTo(FriendStore.RequestResult.ALREADY_REQUESTED);
            assertThat(friends.outgoingRequests(alice.id())).containsExactly(bob);
            assertThat(friends.incomingRequests(bob.id())).containsExactly(alice);
            assertThat(friends.accept(bob.id(), alice.id())).isTrue();
            assertThat(friends.areFriends(alice.id(), bob.id())).isTrue();
            assertThat(friends.areFriends(bob.id(), alice.id())).isTrue();
            assertThat(friends.friends(alice.id())).containsExactly(bob);
            assertThat(friends.incomingRequests(bob.id())).isEmpty();
            assertThat(friends.requestFriend(bob.id(), alice.id())).isEqualTo(FriendStore.RequestResult.ALREADY_FRIENDS);
        }

        @Test
        void crossedRequestsMakeFriendsAtOnceAndDeclineOrUnfriendUndo() throws Exception {
            FriendStore friends = new FriendStore(db, clock);
            friends.requestFriend(alice.id(), bob.id());
            assertThat(friends.requestFriend(bob.id(), alice.id())).isEqualTo(FriendStore.RequestResult.NOW_FRIENDS);
            assertThat(friends.unfriend(alice.id(), bob.id())).isTrue();
            assertThat(friends.unfriend(alice.id(), bob.id())).isFalse();
            assertThat(friends.areFriends(bob.id(), alice.id())).isFalse();
            friends.requestFriend(carol.id(), alice.id());
            assertThat(friends.decline(alice.id(), carol.id())).isTrue();
            assertThat(friends.accept(alice.id(), carol.id())).isFalse();
            assertThat(friends.friends(alice.id())).isEmpty();
        }
    }

    @Nested
    class Groups {

        @Test
        void theCacheServesMembersUntilAChangeIsForgottenAndKeepsNoListLoadedAcrossOne() throws Exception {
            GroupStore groups = new GroupStore(db, clock);
            GroupCache cache = new GroupCache(groups);
            GroupStore.Group team = groups.createGroup("team", alice.id()).orElseThrow();
            assertThat(cache.cachedMembers("team")).isEmpty();
            assertThat(cache.group("team")).contains(team);
            assertThat(cache.members(team.id())).containsExactly(alice);
            assertThat(cache.cachedMembers("team")).contains(List.of(alice));

            groups.invite(team.id(), bob.id(), alice.id());
            groups.join(team, bob.id());
            assertThat(cache.members(team.id())).as("not forgotten yet: the cached list").containsExactly(alice);
            cache.forget(team.id());
            assertThat(cache.cachedMembers("team")).isEmpty();
            assertThat(cache.members(team.id())).containsExactly(alice, bob);

            cache.forgetAll();
            assertThat(cache.group("nope")).isEmpty();
            assertThat(cache.cachedMembers("team")).isEmpty();
        }

        @Test
        void theCreatorOwnsAndJoinsANewGroupWhoseNameIsThenTaken() throws Exception {
            GroupStore groups = new GroupStore(db, clock);
            GroupStore.Group team = groups.createGroup("team", alice.id()).orElseThrow();
            assertThat(team.ownerId()).isEqualTo(alice.id());
            assertThat(groups.createGroup("team", bob.id())).isEmpty();
            assertThat(groups.findGroup("team")).contains(team);
            assertThat(groups.isMember(team.id(), alice.id())).isTrue();
            // Invite-only: bob joins once invited.
            assertThat(groups.join(team, bob.id())).isEqualTo(GroupStore.JoinOutcome.NOT_INVITED);
            assertThat(groups.invite(team.id(), bob.id(), alice.id())).isEqualTo(GroupStore.InviteOutcome.INVITED);
            assertThat(groups.join(team, bob.id())).isEqualTo(GroupStore.JoinOutcome.JOINED);
            assertThat(groups.join(team, bob.id())).isEqualTo(GroupStore.JoinOutcome.ALREADY_MEMBER);
            assertThat(groups.members(team.id())).containsExactly(alice, bob);
            assertThat(groups.groupsOf(bob.id())).containsExactly(
                    new GroupStore.GroupSummary("team", "alice", 2, GroupStore.Role.MEMBER, false));
        }

        @Test
        void whenTheOwnerLeavesTheLongestMemberOwnsAndTheLastOneLeavingEndsTheGroup() throws Exception {
            GroupStore groups = new GroupStore(db, clock);
            GroupStore.Group team = groups.createGroup("team", alice.id()).orElseThrow();
            groups.settings(team.id(), true, false);
            groups.join(team, bob.id());
            assertThat(groups.leave(team.id(), alice.id())).isTrue();
            assertThat(groups.leave(team.id(), alice.id())).isFalse();
            assertThat(groups.findGroup("team").orElseThrow().ownerId()).isEqualTo(bob.id());
            assertThat(groups.leave(team.id(), bob.id())).isTrue();
            assertThat(groups.findGroup("team")).isEmpty();
        }
    }

    @Nested
    class Messages {

        @Test
        void storedMessagesPageBackThroughAPrivateConversationOldestFirst() throws Exception {
            MessageStore messages = new MessageStore(db, clock);
            List<MessageStore.Message> stored = messages.storeAll(List.of(
                    draft(alice, bob, "one"), draft(bob, alice, "two"), draft(alice, carol, "elsewhere"),
                    draft(alice, bob, "three")), i -> List.of());
            assertThat(stored).extracting(MessageStore.Message::id).isSorted();
            assertThat(messages.privateHistory(bob.id(), alice.id(), 10, Long.MAX_VALUE))
                    .extracting(MessageStore.Message::body).containsExactly("one", "two", "three");
            long three = stored.get(3).id();
            assertThat(messages.privateHistory(alice.id(), bob.id(), 1, three))
                    .extracting(MessageStore.Message::body).containsExactly("two");
            assertThat(messages.privateHistory(alice.id(), bob.id(), 10, stored.get(2).id()))
                    .extracting(MessageStore.Message::body).containsExactly("one", "two");
        }

        @Test
        void messagesForAnOfflineRecipientWaitUntilTakenOnce() throws Exception {
            MessageStore messages = new MessageStore(db, clock);
            messages.storeAll(List.of(draft(alice, bob, "while you were out"), draft(alice, carol, "hi")),
                    i -> i == 0 ? List.of(bob.id()) : List.of());
            assertThat(messages.takePending(bob.id())).extracting(MessageStore.Message::body)
                    .containsExactly("while you were out");
            assertThat(messages.takePending(bob.id())).isEmpty();
            assertThat(messages.takePending(carol.id())).isEmpty();
        }

        @Test
        void aGroupsHistoryIsItsOwn() throws Exception {
            GroupStore.Group team = new GroupStore(db, clock).createGroup("team", alice.id()).orElseThrow();
            MessageStore messages = new MessageStore(db, clock);
            messages.storeAll(List.of(
                    new MessageStore.Draft(alice, 0, team.id(), "#team", "g1"), draft(alice, bob, "private"),
                    new MessageStore.Draft(alice, 0, team.id(), "#team", "g2")), i -> List.of());
            List<MessageStore.Message> history = messages.groupHistory(team.id(), 10, Long.MAX_VALUE, 0);
            assertThat(history).extracting(MessageStore.Message::body).containsExactly("g1", "g2");
            assertThat(history).extracting(MessageStore.Message::to).containsOnly("#team");
        }

        /** What a server catches up on after its LISTEN connection broke: each message's recipients. */
        @Test
        void recipientsAfterAnIdAreThePrivateRecipientOrTheGroupButItsSender() throws Exception {
            GroupStore groups = new GroupStore(db, clock);
            GroupStore.Group team = groups.createGroup("team", alice.id()).orElseThrow();
            groups.join(team, bob.id());
            groups.join(team, carol.id());
            MessageStore messages = new MessageStore(db, clock);
            List<MessageStore.Message> stored = messages.storeAll(List.of(draft(alice, bob, "before"),
                    draft(alice, carol, "private"), new MessageStore.Draft(bob, 0, team.id(), "#team", "to the group")),
                    i -> List.of());
            var after = messages.recipientsAfter(stored.get(0).id());
            assertThat(after.keySet()).containsExactly(stored.get(1).id(), stored.get(2).id());
            assertThat(after.get(stored.get(1).id())).containsExactly(carol.id());
            List<Long> othersInTeam = groups.members(team.id()).stream().map(User::id).filter(id -> id != bob.id()).toList();
            assertThat(othersInTeam).contains(alice.id());
            assertThat(after.get(stored.get(2).id())).containsExactlyInAnyOrderElementsOf(othersInTeam);
        }

        private MessageStore.Draft draft(User from, User to, String body) {
            return new MessageStore.Draft(from, to.id(), 0, to.name(), body);
        }
    }
}
