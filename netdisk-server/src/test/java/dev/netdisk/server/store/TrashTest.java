package dev.netdisk.server.store;

import static dev.netdisk.server.store.StoreFixture.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.BadPathException;
import dev.netdisk.protocol.RemotePath;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trash on a real SQLite database: remove, list, restore, empty and expiry. */
class TrashTest {

    @TempDir
    Path dir;

    private StoreFixture f;
    private Trash trash;
    private User alice;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        trash = new Trash(f.db, f.blobs, f.clock, Duration.ofDays(30));
        alice = f.user("alice");
        f.directory(alice, "/dir/sub");
        f.file(alice, "/dir/a.txt", "aaa");
        f.file(alice, "/dir/sub/b.txt", "bb");
        f.file(alice, "/c.txt", "c");
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aRemovedTreeLeavesItsPlaceAndIsListedWithItsSize() throws Exception {
        Trash.Item item = trash.remove(alice.id(), path("/dir"), Trash.Mode.TREE);
        assertThat(item.directory()).isTrue();
        assertThat(item.size()).isEqualTo(5);
        assertThat(f.tree.find(alice.id(), path("/dir"))).isEmpty();
        assertThat(trash.list(alice.id())).containsExactly(item);
    }

    @Test
    void eachModeRefusesWhatItDoesNotRemove() throws Exception {
        assertThatThrownBy(() -> trash.remove(alice.id(), path("/dir"), Trash.Mode.FILE))
                .isInstanceOf(IsDirectoryException.class);
        assertThatThrownBy(() -> trash.remove(alice.id(), path("/c.txt"), Trash.Mode.EMPTY_DIRECTORY))
                .isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> trash.remove(alice.id(), path("/dir"), Trash.Mode.EMPTY_DIRECTORY))
                .isInstanceOf(DirectoryNotEmptyException.class);
        assertThatThrownBy(() -> trash.remove(alice.id(), path("/missing"), Trash.Mode.TREE))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> trash.remove(alice.id(), RemotePath.ROOT, Trash.Mode.TREE))
                .isInstanceOf(BadPathException.class);
        assertThat(trash.list(alice.id())).isEmpty();
    }

    @Test
    void restoreBringsItBackWhereItWasRecreatingMissingParents() throws Exception {
        Trash.Item item = trash.remove(alice.id(), path("/dir/sub/b.txt"), Trash.Mode.FILE);
        trash.remove(alice.id(), path("/dir"), Trash.Mode.TREE);
        assertThat(trash.restore(alice.id(), item.id(), Optional.empty())).hasToString("/dir/sub/b.txt");
        assertThat(f.tree.lookup(alice.id(), path("/dir/sub/b.txt")).size()).isEqualTo(2);
        assertThat(trash.list(alice.id())).hasSize(1);
    }

    @Test
    void restoreRefusesAnOccupiedTargetAndAnUnknownItem() throws Exception {
        Trash.Item item = trash.remove(alice.id(), path("/c.txt"), Trash.Mode.FILE);
        f.file(alice, "/c.txt", "new c");
        assertThatThrownBy(() -> trash.restore(alice.id(), item.id(), Optional.empty()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(trash.restore(alice.id(), item.id(), Optional.of(path("/old-c.txt")))).hasToString("/old-c.txt");
        assertThatThrownBy(() -> trash.restore(alice.id(), item.id(), Optional.empty()))
                .isInstanceOf(NoSuchFileException.class).hasMessage("trash item " + item.id());
    }

    @Test
    void emptyingRemovesForGoodAndDropsTheBlobsNothingElseUses() throws Exception {
        Node c = f.tree.lookup(alice.id(), path("/c.txt"));
        trash.remove(alice.id(), path("/c.txt"), Trash.Mode.FILE);
        // Trashed nodes keep their blobs referenced until the trash lets go of them.
        assertThat(f.tree.referencedBlobs()).contains(c.blobId());
        Trash.Purge purge = trash.empty(alice.id());
        assertThat(purge).isEqualTo(new Trash.Purge(1, 1));
        assertThat(trash.list(alice.id())).isEmpty();
        assertThat(f.tree.referencedBlobs()).doesNotContain(c.blobId());
        assertThat(f.tree.inlineContent(c.blobId())).isEmpty();
    }

    @Test
    void itemsPastTheirTimeToLiveAreHiddenThenExpired() throws Exception {
        trash.remove(alice.id(), path("/c.txt"), Trash.Mode.FILE);
        f.advance(Duration.ofDays(29));
        trash.remove(alice.id(), path("/dir"), Trash.Mode.TREE);
        f.advance(Duration.ofDays(2));
        assertThat(trash.list(alice.id())).extracting(Trash.Item::originalPath).containsExactly("/dir");
        assertThat(trash.expire()).isEqualTo(new Trash.Purge(1, 1));
        assertThat(trash.list(alice.id())).extracting(Trash.Item::originalPath).containsExactly("/dir");
    }
}
