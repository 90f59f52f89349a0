package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Moves and copies in the file tree. Both touch only metadata: a move changes one row's parent and
 * name, a copy adds rows that refer to the same (immutable) blobs, so no byte is read or written
 * and a download running meanwhile is unaffected.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class FileEdits {

    private final Database db;
    private final Quotas quotas;

    public FileEdits(Database db, Quotas quotas) {
        this.db = db;
        this.quotas = quotas;
    }

    /**
     * Whether {@code inner} is {@code outer} or inside it: a move or copy of {@code outer} there
     * would put a directory into itself.
     */
    public static boolean within(RemotePath inner, RemotePath outer) {
        List<String> in = inner.names();
        List<String> out = outer.names();
        return in.size() >= out.size() && in.subList(0, out.size()).equals(out);
    }

    /**
     * Moves (renames) the entry at {@code src} to exactly {@code dst}, keeping its id, so shares and
     * links follow it. Neither may be the root or in {@code /shared}; {@code dst} must not be inside
     * {@code src} (callers check that first, to say so precisely).
     *
     * @return the moved node
     * @throws NoSuchFileException        {@code src} is missing
     * @throws NotDirectoryException      {@code dst}'s parent is missing or a file (named as the parent)
     * @throws FileAlreadyExistsException something is at {@code dst}
     */
    public Node move(long userId, RemotePath src, RemotePath dst) throws SQLException, FileSystemException {
        FileTree.checkWritable(src);
        FileTree.checkWritable(dst);
        return Tx.run(db, c -> {
            Node node = StoreSql.find(c, userId, src).orElseThrow(() -> new NoSuchFileException(src.toString()));
            Node parent = parentOf(c, userId, dst);
            if (StoreSql.child(c, parent.id(), dst.name()).isPresent()) {
                throw new FileAlreadyExistsException(dst.toString());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET parent_id = ?, name = ? WHERE id = ?")) {
                ps.setLong(1, parent.id());
                ps.setString(2, dst.name());
                ps.setLong(3, node.id());
                ps.executeUpdate();
            }
            return new Node(node.id(), parent.id(), dst.name(), node.directory(), node.size(), node.md5(),
                    node.blobId(), node.mtimeMillis());
        });
    }

    /**
     * Copies the entry at {@code src} (a file, or a directory with everything in it; in the user's
     * tree or in {@code /shared}) to exactly {@code dst}, which the user owns. The copies share the
     * originals' blobs; they count in full in the user's quota.
     *
     * @return the size of what was copied
     * @throws NoSuchFileException        {@code src} is missing
     * @throws NotDirectoryException      {@code dst}'s parent is missing or a file (named as the parent)
     * @throws FileAlreadyExistsException something is at {@code dst}
     * @throws QuotaExceededException     the copy would not fit in the user's quota
     */
    public Quotas.Tally copy(long userId, RemotePath src, RemotePath dst) throws SQLException, FileSystemException {
        FileTree.checkWritable(dst);
        return Tx.run(db, c -> {
            Node node = StoreSql.find(c, userId, src).orElseThrow(() -> new NoSuchFileException(src.toString()));
            if (node.id() <= 0) {
                // The /shared view's own directories: nothing of them can be copied but their contents.
                throw new NoSuchFileException(src.toString());
            }
            Node parent = parentOf(c, userId, dst);
            if (StoreSql.child(c, parent.id(), dst.name()).isPresent()) {
                throw new FileAlreadyExistsException(dst.toString());
            }
            Quotas.Tally tally = StoreSql.tally(c, node.id());
            Quotas.check(quotas.usage(c, userId), dst.toString(), tally.bytes());
            quotas.checkEntries(c, userId, dst.toString(), tally.files() + tally.directories());
            long top = insertCopy(c, userId, parent.id(), dst.name(), node);
            Deque<long[]> pending = new ArrayDeque<>();
            if (node.directory()) {
                pending.add(new long[] {node.id(), top});
            }
            while (!pending.isEmpty()) {
                long[] pair = pending.poll();
                for (Node child : StoreSql.children(c, pair[0])) {
                    long copy = insertCopy(c, userId, pair[1], child.name(), child);
                    if (child.directory()) {
                        pending.add(new long[] {child.id(), copy});
                    }
                }
            }
            return tally;
        });
    }

    /** The directory that will hold {@code path}. */
    private static Node parentOf(Connection c, long userId, RemotePath path) throws SQLException,
            NotDirectoryException {
        Optional<Node> parent = StoreSql.find(c, userId, path.parent());
        if (parent.isEmpty() || !parent.get().directory()) {
            throw new NotDirectoryException(path.parent().toString());
        }
        return parent.get();
    }

    private static long insertCopy(Connection c, long userId, long parentId, String name, Node of)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (owner_id, parent_id, name, is_dir, size, md5,"
                + " blob_id, mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setLong(1, userId);
            ps.setLong(2, parentId);
            ps.setString(3, name);
            ps.setInt(4, of.directory() ? 1 : 0);
            ps.setLong(5, of.size());
            ps.setString(6, of.md5());
            ps.setString(7, of.blobId());
            ps.setLong(8, of.mtimeMillis());  // a copy keeps the modification time, as cp -p does
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
