package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.StoreFixture;
import dev.netdisk.server.store.User;
import java.nio.ByteBuffer;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.BlobUpload;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last step of an upload on a real database and blob directory: durable, then visible, or nothing. */
class UploadCommitsTest {

    @TempDir
    Path dir;

    private StoreFixture fixture;
    private LocalBlobStore blobs;
    private FileTree tree;
    private UploadCommits commits;
    private User alice;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(dir);
        blobs = fixture.blobs;
        tree = fixture.tree;
        commits = new UploadCommits(tree, blobs, new PartialUploads(fixture.db, fixture.clock));
        alice = fixture.user("alice");
    }

    @AfterEach
    void close() {
        commits.close();
        fixture.close();
    }

    @Test
    void aSmallFileIsCommittedWithItsBytesInTheDatabase() throws Exception {
        byte[] bytes = "small".getBytes(StandardCharsets.UTF_8);
        UploadCommits.Outcome outcome = commit(newFile("/small.txt", bytes, bytes), null);
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.commit().node().size()).isEqualTo(5);
        assertThat(tree.find(alice.id(), path("/small.txt"))).contains(outcome.commit().node());
        assertThat(tree.inlineContent(outcome.commit().node().blobId())).hasValue(bytes);
        assertThat(commits.handedOver()).isEqualTo(1);
        assertThat(commits.transactions()).isEqualTo(1);
    }

    @Test
    void aBigFilesBlobIsMovedIntoPlaceBeforeItBecomesVisible() throws Exception {
        byte[] bytes = new byte[100_000];
        FileTree.NewFile file = newFile("/big.bin", bytes, null);
        Path partial = blobs.partialPath(file.blobId());
        BlobUpload upload = blobs.openUpload(file.blobId(), DataKey.generate(), 0, bytes.length);
        upload.append(ByteBuffer.wrap(bytes));
        UploadCommits.Outcome outcome = commit(file, upload);
        upload.release();
        assertThat(outcome.failure()).isNull();
        assertThat(Files.size(blobs.blobPath(file.blobId()))).isEqualTo(DataKey.ciphertextSize(bytes.length));
        assertThat(Files.exists(partial)).isFalse();
        assertThat(tree.lookup(alice.id(), path("/big.bin")).blobId()).isEqualTo(file.blobId());
    }

    @Test
    void aRefusedFileLeavesNothingVisibleAndTheOldFileInPlace() throws Exception {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        commit(newFile("/a.txt", first, first), null);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        UploadCommits.Outcome outcome = commit(newFile("/a.txt", second, second), null);
        assertThat(outcome.commit()).isNull();
        assertThat(outcome.failure()).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(tree.lookup(alice.id(), path("/a.txt")).size()).isEqualTo(first.length);
    }

    private UploadCommits.Outcome commit(FileTree.NewFile file, BlobUpload channel) throws Exception {
        CompletableFuture<UploadCommits.Outcome> done = new CompletableFuture<>();
        commits.commit(file, channel, done::complete);
        return done.get(10, TimeUnit.SECONDS);
    }

    private FileTree.NewFile newFile(String path, byte[] bytes, byte[] inline) throws Exception {
        return new FileTree.NewFile(alice.id(), path(path), bytes.length, DigestUtils.md5Hex(bytes), blobs.newBlobId(),
                false, 0, inline, null);
    }

    private static RemotePath path(String text) throws Exception {
        return RemotePath.resolve(RemotePath.ROOT, text);
    }
}
