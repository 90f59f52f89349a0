package dev.netdisk.server.store;

import static dev.netdisk.server.store.StoreFixture.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.transfer.UploadAdmission;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file tree on a real SQLite database: lookups, directories, listings and the commit of uploaded files. */
class FileTreeTest {

    @TempDir
    Path dir;

    private StoreFixture f;
    private User alice;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        alice = f.user("alice");
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aNewUserHasAnEmptyRootDirectory() throws Exception {
        Node root = f.tree.directory(alice.id(), RemotePath.ROOT);
        assertThat(root.directory()).isTrue();
        assertThat(root.name()).isEmpty();
        assertThat(names("/")).isEmpty();
    }

    @Test
    void makeDirectoryWithParentsCreatesTheWholePathAndAcceptsAnExistingOne() throws Exception {
        Node c = f.tree.makeDirectory(alice.id(), path("/a/b/c"), true);
        assertThat(f.tree.find(alice.id(), path("/a/b/c"))).contains(c);
        assertThat(f.tree.makeDirectory(alice.id(), path("/a/b/c"), true)).isEqualTo(c);
        assertThat(names("/a")).containsExactly("b");
    }

    @Test
    void makeDirectoryWithoutParentsRefusesAMissingParentAnExistingEntryAndAFileOnTheWay() throws Exception {
        assertThatThrownBy(() -> f.tree.makeDirectory(alice.id(), path("/a/b"), false))
                .isInstanceOf(NoSuchFileException.class).hasMessage("/a");
        f.directory(alice, "/a");
        assertThatThrownBy(() -> f.tree.makeDirectory(alice.id(), path("/a"), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        f.file(alice, "/a/file.txt", "x");
        assertThatThrownBy(() -> f.tree.makeDirectory(alice.id(), path("/a/file.txt/d"), false))
                .isInstanceOf(NotDirectoryException.class).hasMessage("/a/file.txt");
        assertThatThrownBy(() -> f.tree.makeDirectory(alice.id(), path("/a/file.txt/d"), true))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessage("/a/file.txt");
        // A refusal changes nothing.
        assertThat(names("/a")).containsExactly("file.txt");
    }

    @Test
    void theSharedViewIsReadOnly() throws Exception {
        assertThatThrownBy(() -> f.tree.makeDirectory(alice.id(), path("/shared/x"), true))
                .isInstanceOf(ReadOnlyException.class);
        assertThat(f.file(alice, "/shared/x.txt", "x", false))
                .isInstanceOfSatisfying(FileTree.Refused.class,
                        r -> assertThat(r.reason()).isInstanceOf(ReadOnlyException.class));
    }

    @Test
    void aCommittedFileIsVisibleWithItsSizeChecksumAndBytes() throws Exception {
        Node node = f.file(alice, "/notes.txt", "hello");
        assertThat(node.size()).isEqualTo(5);
        assertThat(node.md5()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(f.tree.lookup(alice.id(), path("/notes.txt"))).isEqualTo(node);
        assertThat(f.tree.inlineContent(node.blobId())).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("hello"));
        List<Optional<FileTree.Content>> contents = f.tree.contents(alice.id(),
                List.of(path("/notes.txt"), path("/missing")));
        assertThat(contents.get(0)).hasValueSatisfying(c -> assertThat(c.inline()).hasSize(5));
        assertThat(contents.get(1)).isEmpty();
    }

    @Test
    void aCommitIsRefusedPerFileWithoutFailingTheOthersInItsGroup() throws Exception {
        f.file(alice, "/taken.txt", "old");
        f.directory(alice, "/dir");
        List<FileTree.CommitResult> results = f.tree.commitFiles(List.of(
                f.newFile(alice, "/ok.txt", "ok".getBytes(StandardCharsets.UTF_8), false),
                f.newFile(alice, "/taken.txt", "new".getBytes(StandardCharsets.UTF_8), false),
                f.newFile(alice, "/dir", "d".getBytes(StandardCharsets.UTF_8), true),
                f.newFile(alice, "/nowhere/x.txt", "x".getBytes(StandardCharsets.UTF_8), false)),
                UploadAdmission::placementRefusal);
        assertThat(results.get(0)).isInstanceOf(FileTree.Commit.class);
        assertThat(reason(results.get(1))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(reason(results.get(2))).isInstanceOf(IsDirectoryException.class);
        assertThat(reason(results.get(3))).isInstanceOf(NoSuchFileException.class).hasMessage("/nowhere");
        assertThat(names("/")).containsExactly("dir", "ok.txt", "taken.txt");
        assertThat(f.tree.lookup(alice.id(), path("/taken.txt")).size()).isEqualTo(3);
    }

    @Test
    void theQuotaIsCheckedInsideTheCommitAfterTheFilesBeforeIt() throws Exception {
        Quotas quotas = new Quotas(f.db, 0);
        quotas.setLimit(alice.id(), java.util.OptionalLong.of(10));
        f.file(alice, "/old.txt", "1234");
        List<FileTree.CommitResult> results = f.tree.commitFiles(List.of(
                f.newFile(alice, "/a.txt", "12345".getBytes(StandardCharsets.UTF_8), false),
                f.newFile(alice, "/b.txt", "12".getBytes(StandardCharsets.UTF_8), false),
                f.newFile(alice, "/old.txt", "123456".getBytes(StandardCharsets.UTF_8), true)),
                UploadAdmission::placementRefusal, quotas);
        assertThat(results.get(0)).isInstanceOf(FileTree.Commit.class);
        // 4 + 5 used, 1 free: 2 more bytes do not fit, nor do the 2 that 6 bytes in place of 4 add.
        assertThat(reason(results.get(1))).isInstanceOf(QuotaExceededException.class);
        assertThat(reason(results.get(2))).isInstanceOf(QuotaExceededException.class);
        assertThat(quotas.usage(alice.id()).used()).isEqualTo(9);
        results = f.tree.commitFiles(List.of(
                f.newFile(alice, "/old.txt", "12345".getBytes(StandardCharsets.UTF_8), true)),
                UploadAdmission::placementRefusal, quotas);
        assertThat(results.get(0)).as("an overwrite needs only what it adds").isInstanceOf(FileTree.Commit.class);
        assertThat(quotas.usage(alice.id()).used()).isEqualTo(10);
    }

    @Test
    void anOverwriteReplacesTheFileInPlaceAndGivesBackTheUnreferencedBlob() throws Exception {
        Node old = f.file(alice, "/a.txt", "old");
        FileTree.CommitResult result = f.file(alice, "/a.txt", "newer", true);
        assertThat(result).isInstanceOfSatisfying(FileTree.Commit.class, commit -> {
            assertThat(commit.node().id()).isEqualTo(old.id());
            assertThat(commit.node().size()).isEqualTo(5);
            assertThat(commit.replacedBlobId()).contains(old.blobId());
        });
        assertThat(f.tree.referencedBlobs()).doesNotContain(old.blobId());
        assertThat(f.tree.inlineContent(old.blobId())).isEmpty();
    }

    @Test
    void listingGivesADirectorysEntriesByNameOrTheOneFileAndRefusesWhatIsMissing() throws Exception {
        f.file(alice, "/b.txt", "bb");
        f.directory(alice, "/a");
        f.file(alice, "/c.txt", "c");
        assertThat(names("/")).containsExactly("a", "b.txt", "c.txt");
        assertThat(names("/b.txt")).containsExactly("b.txt");
        assertThatThrownBy(() -> names("/missing")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void oneUserCannotReachAnothersFiles() throws Exception {
        User bob = f.user("bob");
        f.file(bob, "/secret.txt", "s");
        assertThat(f.tree.find(alice.id(), path("/secret.txt"))).isEmpty();
        assertThat(names("/")).isEmpty();
    }

    @Test
    void deepPathsAreFoundBeyondTheJoinedDepth() throws Exception {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < StoreSql.JOINED_DEPTH + 3; i++) {
            deep.append("/d").append(i);
        }
        Node made = f.directory(alice, deep.toString());
        assertThat(f.tree.find(alice.id(), path(deep.toString()))).contains(made);
        assertThat(f.tree.find(alice.id(), path(deep + "/nope"))).isEmpty();
    }

    private List<String> names(String dirPath) throws Exception {
        List<String> out = new ArrayList<>();
        f.tree.list(alice.id(), path(dirPath), (directory, size, mtime, md5, name) ->
                out.add(new String(name, StandardCharsets.UTF_8)));
        return out;
    }

    private static Exception reason(FileTree.CommitResult result) {
        assertThat(result).isInstanceOf(FileTree.Refused.class);
        return ((FileTree.Refused) result).reason();
    }
}
