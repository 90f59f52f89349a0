package dev.netdisk.server.store;

import dev.netdisk.protocol.BadPathException;
import dev.netdisk.protocol.RemotePath;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trash: what {@code RM} and {@code RMDIR} remove goes here, whole subtrees at a time, until it
 * is restored, emptied, or older than the trash's time to live.
 *
 * <p>A trashed subtree keeps its rows; only its top node is detached from the tree ({@code
 * parent_id} NULL), so no path walk reaches it, its name is free for a new entry, and its blobs stay
 * referenced (and counted in the owner's quota). Removing for good deletes the rows, then the blob
 * files nothing else refers to, after the commit.
 *
 * <p>Thread-safe; blocking (JDBC, disk): never call from the selector thread.
 */
public final class Trash {

    private static final System.Logger LOG = System.getLogger(Trash.class.getName());

    /** What {@link #remove} accepts. */
    public enum Mode {
        /** A file only ({@code RM}). */
        FILE,
        /** A file or a directory with everything in it ({@code RM -r}). */
        TREE,
        /** An empty directory only ({@code RMDIR}). */
        EMPTY_DIRECTORY
    }

    /**
     * One trashed item.
     *
     * @param id           the trash id, for {@code TRASH RESTORE}
     * @param originalPath where it was
     * @param deletedAt    when it was trashed, milliseconds since the epoch
     * @param directory    whether it is a directory
     * @param size         the bytes of its files
     */
    public record Item(long id, String originalPath, long deletedAt, boolean directory, long size) {
    }

    /**
     * The result of removing trashed items for good.
     *
     * @param items how many trash items
     * @param bytes the bytes of their files (given back to the owner's quota)
     */
    public record Purge(int items, long bytes) {
    }

    private final Database db;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration ttl;

    public Trash(Database db, BlobStore blobs, Clock clock, Duration ttl) {
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** How long an item stays in the trash. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Moves the entry at {@code path} (not the root, not in {@code /shared}) to the trash. Shares and
     * links of anything in it end.
     *
     * @return the new trash item
     * @throws NoSuchFileException        nothing is there
     * @throws IsDirectoryException       a directory, for {@link Mode#FILE}
     * @throws NotDirectoryException      a file, for {@link Mode#EMPTY_DIRECTORY}
     * @throws DirectoryNotEmptyException a directory with entries, for {@link Mode#EMPTY_DIRECTORY}
     */
    public Item remove(long userId, RemotePath path, Mode mode) throws SQLException, FileSystemException {
        if (path.isRoot()) {
            throw new BadPathException("/", "cannot remove the root");
        }
        FileTree.checkWritable(path);
        long now = clock.millis();
        return Tx.run(db, c -> {
            Node node = StoreSql.find(c, userId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
            if (mode == Mode.FILE && node.directory()) {
                throw new IsDirectoryException(path.toString());
            }
            if (mode == Mode.EMPTY_DIRECTORY) {
                if (!node.directory()) {
                    throw new NotDirectoryException(path.toString());
                }
                if (StoreSql.hasChildren(c, node.id())) {
                    throw new DirectoryNotEmptyException(path.toString());
                }
            }
            long id;
            // trash.bytes is this item's share of the owner's trash total (kept by a trigger, V005).
            long bytes = StoreSql.tally(c, node.id()).bytes();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trash (owner_id, node_id, original_path,"
                    + " deleted_at, bytes) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, userId);
                ps.setLong(2, node.id());
                ps.setString(3, path.toString());
                ps.setLong(4, now);
                ps.setLong(5, bytes);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            StoreSql.update(c, "UPDATE nodes SET parent_id = NULL WHERE id = ?", node.id());
            StoreSql.update(c, StoreSql.SUBTREE + "DELETE FROM shares WHERE node_id IN (SELECT id FROM sub)", node.id());
            StoreSql.update(c, StoreSql.SUBTREE + "DELETE FROM share_links WHERE node_id IN (SELECT id FROM sub)", node.id());
            return new Item(id, path.toString(), now, node.directory(), bytes);
        });
    }

    /** {@code userId}'s trash, oldest first; items past their time to live are not shown. */
    public List<Item> list(long userId) throws SQLException {
        return db.read(c -> {
            List<Item> out = new ArrayList<>();
            List<Long> nodeIds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.original_path, t.deleted_at, n.is_dir, n.id"
                    + " FROM trash t JOIN nodes n ON n.id = t.node_id WHERE t.owner_id = ? AND t.deleted_at >= ?"
                    + " ORDER BY t.id")) {
                ps.setLong(1, userId);
                ps.setLong(2, cutoff());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Item(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) != 0, 0));
                        nodeIds.add(rs.getLong(5));
                    }
                }
            }
            for (int i = 0; i < out.size(); i++) {
                Item item = out.get(i);
                out.set(i, new Item(item.id(), item.originalPath(), item.deletedAt(), item.directory(),
                        StoreSql.tally(c, nodeIds.get(i)).bytes()));
            }
            return out;
        });
    }

    /**
     * Puts trash item {@code id} back at {@code target}, or where it was when {@code target} is
     * empty. Missing parent directories are created again.
     *
     * @return where it is now
     * @throws NoSuchFileException        no such item (named {@code "trash item <id>"}), or expired
     * @throws FileAlreadyExistsException something is at the target
     * @throws NotDirectoryException      a file stands where a parent directory should be
     */
    public RemotePath restore(long userId, long id, Optional<RemotePath> target) throws SQLException,
            FileSystemException {
        if (target.isPresent()) {
            if (target.get().isRoot()) {
                throw new FileAlreadyExistsException("/");
            }
            FileTree.checkWritable(target.get());
        }
        return Tx.run(db, c -> {
            long nodeId;
            String original;
            try (PreparedStatement ps = c.prepareStatement("SELECT node_id, original_path FROM trash"
                    + " WHERE id = ? AND owner_id = ? AND deleted_at >= ?")) {
                ps.setLong(1, id);
                ps.setLong(2, userId);
                ps.setLong(3, cutoff());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchFileException("trash item " + id);
                    }
                    nodeId = rs.getLong(1);
                    original = rs.getString(2);
                }
            }
            RemotePath to = target.isPresent() ? target.get() : RemotePath.resolve(RemotePath.ROOT, original);
            FileTree.checkWritable(to);
            Node parent = StoreSql.root(c, userId);
            RemotePath walked = RemotePath.ROOT;
            for (String name : to.parent().names()) {
                walked = walked.child(name);
                Optional<Node> child = StoreSql.child(c, parent.id(), name);
                if (child.isPresent() && !child.get().directory()) {
                    throw new NotDirectoryException(walked.toString());
                }
                parent = child.isPresent() ? child.get() : StoreSql.insertDirectory(c, userId, parent.id(), name, clock.millis());
            }
            if (StoreSql.child(c, parent.id(), to.name()).isPresent()) {
                throw new FileAlreadyExistsException(to.toString());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET parent_id = ?, name = ? WHERE id = ?")) {
                ps.setLong(1, parent.id());
                ps.setString(2, to.name());
                ps.setLong(3, nodeId);
                ps.executeUpdate();
            }
            StoreSql.update(c, "DELETE FROM trash WHERE id = ?", id);
            return to;
        });
    }

    /** Removes everything in {@code userId}'s trash for good. */
    public Purge empty(long userId) throws SQLException, IOException {
        return purge("owner_id = ?", userId);
    }

    /** Removes, for every user, what has been in the trash longer than its time to live. */
    public Purge expire() throws SQLException, IOException {
        return purge("deleted_at < ?", cutoff());
    }

    private Purge purge(String where, long param) throws SQLException, IOException {
        record Result(Purge purge, List<String> blobs) {
        }
        Result result = db.transaction(c -> {
            List<long[]> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, node_id FROM trash WHERE " + where)) {
                ps.setLong(1, param);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
            }
            long bytes = 0;
            List<String> candidates = new ArrayList<>();
            for (long[] item : items) {
                try (PreparedStatement ps = c.prepareStatement(StoreSql.SUBTREE
                        + "SELECT n.blob_id, n.size FROM nodes n JOIN sub ON n.id = sub.id WHERE n.blob_id IS NOT NULL")) {
                    ps.setLong(1, item[1]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            candidates.add(rs.getString(1));
                            bytes += rs.getLong(2);
                        }
                    }
                }
                StoreSql.update(c, "DELETE FROM trash WHERE id = ?", item[0]);
                // One statement: SQLite checks the parent_id references at its end, not row by row.
                StoreSql.update(c, StoreSql.SUBTREE + "DELETE FROM nodes WHERE id IN (SELECT id FROM sub)", item[1]);
            }
            return new Result(new Purge(items.size(), bytes), StoreSql.unreferenced(c, candidates));
        });
        IOException failure = null;
        for (String blobId : result.blobs()) {
            try {
                blobs.delete(blobId);
            } catch (IOException e) {
                // The rows are gone: the start-up sweep will find the file unreferenced and remove it.
                LOG.log(System.Logger.Level.WARNING, "could not delete blob " + blobId, e);
                failure = e;
            }
        }
        if (failure != null && result.purge().items() == 0) {
            throw failure;
        }
        return result.purge();
    }

    private long cutoff() {
        return clock.millis() - ttl.toMillis();
    }
}
