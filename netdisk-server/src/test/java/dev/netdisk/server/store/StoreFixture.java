package dev.netdisk.server.store;

import dev.netdisk.protocol.BadPathException;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.transfer.UploadAdmission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A real SQLite database and blob directory in a test's temporary directory, with the stores over
 * them and helpers to make users and small files. The clock stands still unless a test moves it.
 * The store tests and the transfer tests (admission, commit) share it.
 */
public final class StoreFixture implements AutoCloseable {

    public final Database db;
    public final LocalBlobStore blobs;
    public final FileTree tree;
    public final UserStore users;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** The fixture's clock: reads {@link #advance}'s current time. */
    public final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    public StoreFixture(Path dir) throws SQLException, IOException {
        db = Database.open(dir.resolve("netdisk.db"), 2);
        blobs = new LocalBlobStore(dir);
        tree = new FileTree(db, clock, new DataKeys(db,
                dev.netdisk.server.crypt.MasterKey.loadOrCreate(dir.resolve("keys/master.json"))));
        users = new UserStore(db, tree, new PasswordHasher(1_000), clock);
    }

    /** Moves the clock forward by {@code by}. */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** A new user called {@code name}, with an empty root directory. */
    public User user(String name) throws SQLException {
        return users.register(name, "secret-password").orElseThrow();
    }

    public static RemotePath path(String text) throws BadPathException {
        return RemotePath.resolve(RemotePath.ROOT, text);
    }

    /** Stores {@code text} as the small file {@code path} (its bytes in the database), as an upload would. */
    public FileTree.CommitResult file(User user, String path, String text, boolean overwrite) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return tree.commitFiles(List.of(newFile(user, path, bytes, overwrite)), UploadAdmission::placementRefusal).get(0);
    }

    /** Stores {@code text} as {@code path}, which must succeed: the new node. */
    public Node file(User user, String path, String text) throws Exception {
        FileTree.CommitResult result = file(user, path, text, false);
        if (result instanceof FileTree.Refused refused) {
            throw refused.reason();
        }
        return ((FileTree.Commit) result).node();
    }

    public FileTree.NewFile newFile(User user, String path, byte[] bytes, boolean overwrite) throws BadPathException {
        return new FileTree.NewFile(user.id(), path(path), bytes.length, DigestUtils.md5Hex(bytes), blobs.newBlobId(),
                overwrite, 0, bytes, null);
    }

    /** Makes {@code path} and its missing parents. */
    public Node directory(User user, String path) throws Exception {
        return tree.makeDirectory(user.id(), path(path), true);
    }

    @Override
    public void close() {
        db.close();
    }
}
