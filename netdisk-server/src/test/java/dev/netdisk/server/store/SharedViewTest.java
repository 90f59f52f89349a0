package dev.netdisk.server.store;

import static dev.netdisk.server.store.StoreFixture.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.server.chat.FriendStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shares between friends as the {@code /shared} view shows them, and links, on a real SQLite database. */
class SharedViewTest {

    @TempDir
    Path dir;

    private StoreFixture f;
    private ShareGrants grants;
    private ShareLinks links;
    private FriendStore friends;
    private User alice;
    private User bob;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        grants = new ShareGrants(f.db, f.clock);
        links = new ShareLinks(f.db, f.clock);
        friends = new FriendStore(f.db, f.clock);
        alice = f.user("alice");
        bob = f.user("bob");
        friends.requestFriend(alice.id(), bob.id());
        friends.accept(bob.id(), alice.id());
        f.directory(alice, "/docs/inner");
        f.file(alice, "/docs/inner/deep.txt", "deep");
        f.file(alice, "/docs/top.txt", "top");
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aFriendSeesTheShareUnderSharedOwnerNameAndEverythingBelowIt() throws Exception {
        grants.share(alice, path("/docs"), "bob");
        assertThat(names(bob, "/shared")).containsExactly("alice");
        assertThat(names(bob, "/shared/alice")).containsExactly("docs");
        assertThat(names(bob, "/shared/alice/docs")).containsExactly("inner", "top.txt");
        Node deep = f.tree.lookup(bob.id(), path("/shared/alice/docs/inner/deep.txt"));
        assertThat(deep.size()).isEqualTo(4);
        assertThat(grants.received(bob)).extracting(ShareGrants.Share::path).containsExactly("/shared/alice/docs");
        assertThat(grants.given(alice)).extracting(ShareGrants.Share::path).containsExactly("/docs");
    }

    @Test
    void noPathLeavesTheSharedSubtree() throws Exception {
        grants.share(alice, path("/docs/inner"), "bob");
        // ".." is folded inside the view's text: it never climbs above the shared entry into alice's tree.
        assertThat(f.tree.find(bob.id(), path("/shared/alice/inner/../top.txt"))).isEmpty();
        assertThat(f.tree.find(bob.id(), path("/shared/alice/docs"))).isEmpty();
        assertThat(f.tree.find(bob.id(), path("/shared/alice/inner/deep.txt"))).isPresent();
    }

    @Test
    void aShareIsVisibleOnlyWhileTheTwoAreFriends() throws Exception {
        grants.share(alice, path("/docs"), "bob");
        friends.unfriend(alice.id(), bob.id());
        assertThat(names(bob, "/shared")).isEmpty();
        assertThatThrownBy(() -> names(bob, "/shared/alice")).isInstanceOf(NoSuchFileException.class);
        assertThat(grants.received(bob)).isEmpty();
    }

    @Test
    void sharingIsRefusedWithStrangersYourselfUnknownUsersAndTwice() throws Exception {
        f.user("carol");
        assertThat(refusal("/docs", "carol")).isEqualTo(ShareGrants.Refusal.NOT_FRIENDS);
        assertThat(refusal("/docs", "alice")).isEqualTo(ShareGrants.Refusal.YOURSELF);
        assertThat(refusal("/docs", "nobody")).isEqualTo(ShareGrants.Refusal.NO_SUCH_USER);
        grants.share(alice, path("/docs"), "bob");
        assertThat(refusal("/docs", "bob")).isEqualTo(ShareGrants.Refusal.ALREADY_SHARED);
        assertThat(grants.unshare(alice.id(), path("/docs"), Optional.empty())).isEqualTo(1);
        assertThat(names(bob, "/shared")).isEmpty();
    }

    @Test
    void aLinkFetchesItsFileUntilItExpiresOrIsRevoked() throws Exception {
        ShareLinks.Link forever = links.link(alice.id(), path("/docs/top.txt"), Optional.empty());
        ShareLinks.Link hour = links.link(alice.id(), path("/docs/top.txt"),
                Optional.of(f.clock.instant().plus(Duration.ofHours(1))));
        assertThat(forever.code()).hasSize(ShareLinks.CODE_LENGTH);
        assertThat(links.fetch(forever.code())).isInstanceOfSatisfying(ShareLinks.Fetch.Found.class,
                found -> assertThat(found.node().name()).isEqualTo("top.txt"));
        f.advance(Duration.ofHours(2));
        assertThat(links.fetch(hour.code())).isInstanceOf(ShareLinks.Fetch.Expired.class);
        assertThat(links.links(alice.id())).extracting(ShareLinks.Link::path).containsOnly("/docs/top.txt");
        assertThat(links.revoke(alice.id(), forever.code())).isTrue();
        assertThat(links.fetch(forever.code())).isInstanceOf(ShareLinks.Fetch.Unknown.class);
        assertThatThrownBy(() -> links.link(alice.id(), path("/docs"), Optional.<Instant>empty()))
                .isInstanceOf(IsDirectoryException.class);
    }

    private ShareGrants.Refusal refusal(String sharedPath, String recipient) {
        try {
            grants.share(alice, path(sharedPath), recipient);
            throw new AssertionError("shared with " + recipient);
        } catch (ShareGrants.RefusedException e) {
            return e.refusal();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> names(User user, String dirPath) throws Exception {
        List<String> out = new ArrayList<>();
        f.tree.list(user.id(), path(dirPath), (directory, size, mtime, md5, name) ->
                out.add(new String(name, StandardCharsets.UTF_8)));
        return out;
    }
}
