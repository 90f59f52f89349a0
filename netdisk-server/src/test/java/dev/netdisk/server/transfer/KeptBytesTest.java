package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private BlobStore blobs;
    private PartialUploads partials;
    private User alice;
    private PartialUploads.Partial partial;
    private Path file;
    private FileChannel channel;

    @BeforeEach
    void open() throws Exception {
        Clock clock = Clock.systemUTC();
        db = Database.open(dir.resolve("netdisk.db"), 2);
        blobs = new BlobStore(dir);
        partials = new PartialUploads(db, clock);
        alice = new UserStore(db, new FileTree(db, clock), new PasswordHasher(1_000), clock)
                .register("alice", "secret-password").orElseThrow();
        partial = partials.create(alice.id(), path(), 100_000, MD5, blobs.newBlobId());
        file = blobs.partialPath(partial.blobId());
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.write(ByteBuffer.wrap(new byte[1000]));
    }

    @AfterEach
    void close() throws Exception {
        channel.close();
        db.close();
    }

    @Test
    void keptBytesStayForResume() throws Exception {
        KeptBytes kept = KeptBytes.in(blobs, partials, partial, channel);
        assertThat(kept.kept()).isTrue();
        assertThat(kept.channel()).isSameAs(channel);
        assertThat(kept.note()).isEqualTo("the bytes are kept for resume");
        kept.keep();
        assertThat(channel.isOpen()).isFalse();
        assertThat(Files.size(file)).isEqualTo(1000);
        assertThat(partials.find(alice.id(), path(), 100_000, MD5)).contains(partial);
    }

    @Test
    void discardedBytesLeaveNothingToResumeFrom() throws Exception {
        KeptBytes.in(blobs, partials, partial, channel).discard();
        assertThat(channel.isOpen()).isFalse();
        assertThat(file).doesNotExist();
        assertThat(partials.find(alice.id(), path(), 100_000, MD5)).isEmpty();
    }

    @Test
    void aSmallFileKeepsNothing() throws Exception {
        KeptBytes none = KeptBytes.none();
        assertThat(none.kept()).isFalse();
        assertThat(none.channel()).isNull();
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
