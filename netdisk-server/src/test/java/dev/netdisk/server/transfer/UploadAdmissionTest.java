package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.StoreFixture;
import dev.netdisk.server.store.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one admission rule of an upload on a real database: each refusal with the reply it gives
 * before the bytes ({@code UPLOAD}) and at the commit ({@code DATA}, {@code BATCH}), as
 * {@code docs/PROTOCOL.md} section 6 lists them.
 */
class UploadAdmissionTest {

    private static final long QUOTA = 100;

    @TempDir
    Path dir;

    private StoreFixture fixture;
    private FileTree tree;
    private UploadAdmission admission;
    private User alice;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(dir);
        tree = fixture.tree;
        admission = new UploadAdmission(tree, new Quotas(fixture.db, QUOTA));
        alice = fixture.user("alice");
        tree.makeDirectory(alice.id(), path("/d"), false);
        store("/f.txt", "0123456789"); // 10 bytes of the 100
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aNewFileInAnExistingDirectoryIsAdmitted() {
        assertThatCode(() -> admission.admit(alice.id(), path("/d/new.txt"), 90, false)).doesNotThrowAnyException();
    }

    @Test
    void theRootIsADirectory() {
        assertThat(refusedBeforeTheBytes("/", 1, false)).isEqualTo("550 is a directory: /");
    }

    @Test
    void theSharedViewIsReadOnly() {
        assertThat(refusedBeforeTheBytes("/shared/bob/x.txt", 1, false))
                .isEqualTo("550 read-only: shared by bob: /shared/bob/x.txt");
        assertThat(refusedAtTheCommit("/shared/bob/x.txt", false))
                .isEqualTo("550 read-only: shared by bob: /shared/bob/x.txt");
    }

    @Test
    void aMissingParentOrAFileAsParentIsNoSuchDirectory() {
        assertThat(refusedBeforeTheBytes("/nowhere/x.txt", 1, false)).isEqualTo("550 no such directory: /nowhere");
        assertThat(refusedBeforeTheBytes("/f.txt/x.txt", 1, false)).isEqualTo("550 no such directory: /f.txt");
        assertThat(refusedAtTheCommit("/nowhere/x.txt", false)).isEqualTo("550 no such directory: /nowhere");
    }

    @Test
    void aDirectoryInTheWayIsNeverOverwritten() {
        assertThat(refusedBeforeTheBytes("/d", 1, false)).isEqualTo("550 is a directory: /d");
        assertThat(refusedBeforeTheBytes("/d", 1, true)).isEqualTo("550 is a directory: /d");
        assertThat(refusedAtTheCommit("/d", true)).isEqualTo("550 is a directory: /d");
    }

    @Test
    void anExistingFileNeedsOverwrite() throws Exception {
        assertThat(refusedBeforeTheBytes("/f.txt", 1, false))
                .isEqualTo("521 already exists: /f.txt (--overwrite to replace it)");
        assertThat(refusedAtTheCommit("/f.txt", false)).as("the same words at the commit")
                .isEqualTo("521 already exists: /f.txt (--overwrite to replace it)");
        assertThatCode(() -> admission.admit(alice.id(), path("/f.txt"), 1, true)).doesNotThrowAnyException();
        assertThat(UploadAdmission.placementRefusal(path("/f.txt"), true,
                tree.find(alice.id(), RemotePath.ROOT), tree.find(alice.id(), path("/f.txt")))).isNull();
    }

    @Test
    void aFileThatDoesNotFitIsRefusedAndAnOverwriteNeedsOnlyWhatItAdds() {
        assertThat(refusedBeforeTheBytes("/big.bin", 91, false))
                .isEqualTo("552 quota exceeded: 91 bytes needed, 90 of 100 bytes free: /big.bin");
        // Replacing the 10-byte file frees its bytes.
        assertThatCode(() -> admission.admit(alice.id(), path("/f.txt"), 100, true)).doesNotThrowAnyException();
        assertThat(refusedBeforeTheBytes("/f.txt", 101, true))
                .isEqualTo("552 quota exceeded: 91 bytes needed, 90 of 100 bytes free: /f.txt");
    }

    @Test
    void bytesHandedToTheCommitAndNotCommittedCountAsUsed() {
        assertThatCode(() -> admission.checkQuota(alice.id(), path("/a"), 50, false, 40)).doesNotThrowAnyException();
        Throwable refused = catchThrowable(() -> admission.checkQuota(alice.id(), path("/b"), 50, false, 41));
        assertThat(ErrorReplies.toReply("UPLOAD", refused))
                .hasToString("552 quota exceeded: 91 bytes needed, 90 of 100 bytes free: /b");
        // An overwrite in a batch frees the bytes of the file it replaces, never a directory's.
        assertThatCode(() -> admission.checkQuota(alice.id(), path("/f.txt"), 100, true, 0)).doesNotThrowAnyException();
        assertThat(catchThrowable(() -> admission.checkQuota(alice.id(), path("/d"), 91, true, 0))).isNotNull();
    }

    @Test
    void theTargetCheckNeedsNoLookup() {
        assertThat(ErrorReplies.toReply("UPLOAD", catchThrowable(() -> UploadAdmission.checkTarget(RemotePath.ROOT))))
                .hasToString("550 is a directory: /");
        assertThat(ErrorReplies.toReply("UPLOAD",
                catchThrowable(() -> UploadAdmission.checkTarget(path("/shared")))))
                .hasToString("550 read-only: /shared is the view of what friends share with you: /shared");
        assertThatCode(() -> UploadAdmission.checkTarget(path("/nowhere/x"))).doesNotThrowAnyException();
    }

    /** The reply {@code UPLOAD} gives for this file before any byte moves. */
    private String refusedBeforeTheBytes(String path, long size, boolean overwrite) {
        Throwable refused = catchThrowable(() -> admission.admit(alice.id(), path(path), size, overwrite));
        assertThat(refused).as("refused: " + path).isNotNull();
        return ErrorReplies.toReply("UPLOAD", refused).toString();
    }

    /** The reply the commit gives for a 1-byte file at {@code path}: the same rule, applied in its transaction. */
    private String refusedAtTheCommit(String path, boolean overwrite) {
        FileTree.CommitResult result;
        try {
            result = tree.commitFiles(List.of(newFile(path, "x", overwrite)), UploadAdmission::placementRefusal).get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(result).isInstanceOf(FileTree.Refused.class);
        Exception reason = ((FileTree.Refused) result).reason();
        Exception placement = UploadAdmission.placementError(path(path), reason);
        Reply reply = ErrorReplies.toReply("UPLOAD", placement != null ? placement : reason);
        return reply.toString();
    }

    private void store(String path, String text) throws Exception {
        fixture.file(alice, path, text);
    }

    private FileTree.NewFile newFile(String path, String text, boolean overwrite) {
        try {
            return fixture.newFile(alice, path, text.getBytes(StandardCharsets.UTF_8), overwrite);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RemotePath path(String text) {
        try {
            return RemotePath.resolve(RemotePath.ROOT, text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
