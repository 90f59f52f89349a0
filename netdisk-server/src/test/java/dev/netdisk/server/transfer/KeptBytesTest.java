package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.BlobUpload;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end of an upload's attempt for its kept bytes, on a real database and partial file. */
class KeptBytesTest {

    private static final String MD5 = "6f5902ac237024bdd0c176cb93063dc4";

    @TempDir
    Path dir;

    private Database db;
    private LocalBlobStore blobs;
    private PartialUploads partials;
    private User alice;
    private PartialUploads.Partial partial;
    private Path file;
    private BlobUpload upload;

    @BeforeEach
    void open() throws Exception {
        Clock clock = Clock.systemUTC();
        db = Database.open(dir.resolve("netdisk.db"), 2);
        blobs = new LocalBlobStore(dir);
        partials = new PartialUploads(db, clock);
        alice = new UserStore(db, new FileTree(db, clock), new PasswordHasher(1_000), clock)
                .register("alice", "secret-password").orElseThrow();
        partial = partials.create(alice.id(), path(), 100_000, MD5, blobs.newBlobId());
        file = blobs.partialPath(partial.blobId());
        upload = blobs.openUpload(partial.blobId(), DataKey.generate(), 0, 100_000);
        upload.append(ByteBuffer.wrap(new byte[1000]));
        upload.flush();
    }

    @AfterEach
    void close() throws Exception {
        upload.closeQuietly();
        upload.release();
        db.close();
    }

    @Test
    void keptBytesStayForResume() throws Exception {
        KeptBytes kept = KeptBytes.in(partials, partial, upload);
        assertThat(kept.kept()).isTrue();
        assertThat(kept.upload()).isSameAs(upload);
        assertThat(kept.note()).isEqualTo("the bytes are kept for resume");
        kept.keep();
        assertThat(Files.size(file)).isPositive();
        assertThat(partials.find(alice.id(), path(), 100_000, MD5)).contains(partial);
    }

    @Test
    void discardedBytesLeaveNothingToResumeFrom() throws Exception {
        KeptBytes.in(partials, partial, upload).discard();
        assertThat(file).doesNotExist();
        assertThat(partials.find(alice.id(), path(), 100_000, MD5)).isEmpty();
    }

    @Test
    void aSmallFileKeepsNothing() throws Exception {
        KeptBytes none = KeptBytes.none();
        assertThat(none.kept()).isFalse();
        assertThat(none.upload()).isNull();
        assertThat(none.note()).isEqualTo("nothing was kept (a small file is sent whole again)");
        none.keep();
        none.discard();
        none.closeQuietly();
        assertThat(partials.find(alice.id(), path(), 100_000, MD5)).contains(partial);
    }

    private static RemotePath path() {
        try {
            return RemotePath.resolve(RemotePath.ROOT, "/big.bin");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
