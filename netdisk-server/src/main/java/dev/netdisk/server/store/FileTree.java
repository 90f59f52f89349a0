package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every user's file tree, kept as rows of the {@code nodes} table. Paths are walked name by name
 * from the user's root, so a user can never reach a node of another.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class FileTree {

    static final String COLUMNS = "id, parent_id, name, is_dir, size, md5, blob_id, mtime";

    // Looked up by the indexes nodes_root_by_owner and nodes_by_parent_and_name (EXPLAIN QUERY PLAN
    // in FileTreeQueryPlanTest); prepared once per pooled connection.
    static final String ROOT_SQL = "SELECT " + COLUMNS + " FROM nodes WHERE owner_id = ? AND parent_id IS NULL AND name = ''";
    static final String CHILD_SQL = "SELECT " + COLUMNS + " FROM nodes WHERE parent_id = ? AND name = ?";
    static final String LIST_SQL = "SELECT " + COLUMNS + " FROM nodes WHERE parent_id = ? ORDER BY name";

    /**
     * The name of the read-only view of what friends share with a user ({@code /shared/<owner>/...}):
     * reserved at the top of every user's tree.
     */
    public static final String SHARED_VIEW = "shared";

    private final Database db;
    private final Clock clock;

    public FileTree(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Every blob id a file refers to, live or in the trash (trashed nodes keep their rows). */
    public Set<String> referencedBlobs() throws SQLException {
        return db.read(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT blob_id FROM nodes WHERE blob_id IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The result of committing one {@link NewFile}: the new node and the blob it replaced, if any. */
    public record Commit(Node node, Optional<String> replacedBlobId) {
    }

    /** Creates the root directory of a new user, inside the caller's transaction. */
    void createRoot(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO nodes (owner_id, parent_id, name, is_dir, mtime) VALUES (?, NULL, '', 1, ?)")) {
            ps.setLong(1, userId);
            ps.setLong(2, clock.millis());
            ps.executeUpdate();
        }
    }

    /** The node at {@code path}, if there is one. */
    public Optional<Node> find(long userId, RemotePath path) throws SQLException {
        return db.read(c -> find(c, userId, path));
    }

    /**
     * The node at {@code path}.
     *
     * @throws NoSuchFileException when nothing is there
     */
    public Node lookup(long userId, RemotePath path) throws SQLException, NoSuchFileException {
        return find(userId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
    }

    /**
     * The directory at {@code path}.
     *
     * @throws NoSuchFileException   when nothing is there
     * @throws NotDirectoryException when a file is there
     */
    public Node directory(long userId, RemotePath path) throws SQLException, NoSuchFileException,
            NotDirectoryException {
        Node node = lookup(userId, path);
        if (!node.directory()) {
            throw new NotDirectoryException(path.toString());
        }
        return node;
    }

    /** Receives the entries of a listing, one call per entry, on the caller's thread. */
    @FunctionalInterface
    public interface EntrySink {
        /**
         * One entry.
         *
         * @param size        bytes; 0 for a directory
         * @param mtimeMillis milliseconds since the epoch
         * @param md5         32 lower-case hex digits in ASCII; {@code null} for a directory
         * @param name        the name in UTF-8 (NFC, as stored)
         */
        void entry(boolean directory, long size, long mtimeMillis, byte[] md5, byte[] name);
    }

    /**
     * The entries of the directory at {@code path} sorted by name (Unicode code point order: SQLite's
     * BINARY collation compares UTF-8 bytes), or the one file at {@code path}, streamed into
     * {@code sink} from the query's rows as bytes: a
     * big directory is never held as {@link Node}s or strings. One query for the directory's rows
     * (by the index on (parent_id, name), already in name order), after the path's lookup.
     *
     * @return how many entries were given to {@code sink}
     * @throws NoSuchFileException when nothing is there
     */
    public int list(long userId, RemotePath path, EntrySink sink) throws SQLException, NoSuchFileException {
        int count = db.read(c -> {
            List<Node> nodes;
            if (isSharedView(path) && path.names().size() <= 2) {
                nodes = Shares.listVirtual(c, userId, path).orElse(null);
            } else {
                Optional<Node> node = find(c, userId, path);
                if (node.isEmpty()) {
                    nodes = null;
                } else if (!node.get().directory()) {
                    nodes = List.of(node.get());
                } else {
                    PreparedStatement ps = Database.prepared(c, LIST_SQL);
                    ps.setLong(1, node.get().id());
                    int n = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            // columns: id, parent_id, name, is_dir, size, md5, blob_id, mtime
                            sink.entry(rs.getInt(4) != 0, rs.getLong(5), rs.getLong(8), rs.getBytes(6), rs.getBytes(3));
                            n++;
                        }
                    }
                    return n;
                }
            }
            if (nodes == null) {
                return -1;
            }
            for (Node n : nodes) {
                sink.entry(n.directory(), n.size(), n.mtimeMillis(),
                        n.md5() == null ? null : n.md5().getBytes(StandardCharsets.US_ASCII),
                        n.name().getBytes(StandardCharsets.UTF_8));
            }
            return nodes.size();
        });
        if (count < 0) {
            throw new NoSuchFileException(path.toString());
        }
        return count;
    }

    /**
     * Creates the directory {@code path}.
     *
     * @param parents create missing parents, and accept an existing directory ({@code mkdir -p})
     * @return the directory's node
     * @throws FileAlreadyExistsException when something is at {@code path} (without {@code parents}),
     *                                    or a file stands on the way (with it)
     * @throws NoSuchFileException        when the parent is missing (without {@code parents})
     * @throws NotDirectoryException      when the parent is a file (without {@code parents})
     * @throws ReadOnlyException          when {@code path} is in the {@code /shared} view
     */
    public Node makeDirectory(long userId, RemotePath path, boolean parents) throws SQLException,
            FileAlreadyExistsException, NoSuchFileException, NotDirectoryException, ReadOnlyException {
        if (!path.isRoot()) {
            checkWritable(path);
        }
        if (path.isRoot()) {
            if (parents) {
                return lookup(userId, path);
            }
            throw new FileAlreadyExistsException("/");
        }
        Object result = db.transaction(c -> {
            Node current = root(c, userId);
            RemotePath walked = RemotePath.ROOT;
            List<String> names = path.names();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                walked = walked.child(name);
                boolean last = i == names.size() - 1;
                Optional<Node> child = child(c, current.id(), name);
                if (child.isPresent()) {
                    if (!child.get().directory()) {
                        return last || parents ? new FileAlreadyExistsException(walked.toString())
                                : new NotDirectoryException(walked.toString());
                    }
                    if (last && !parents) {
                        return new FileAlreadyExistsException(walked.toString());
                    }
                    current = child.get();
                } else if (last || parents) {
                    current = insertDirectory(c, userId, current.id(), name);
                } else {
                    return new NoSuchFileException(walked.toString());
                }
            }
            return current;
        });
        if (result instanceof FileAlreadyExistsException e) {
            throw e;
        } else if (result instanceof NoSuchFileException e) {
            throw e;
        } else if (result instanceof NotDirectoryException e) {
            throw e;
        }
        return (Node) result;
    }

    /**
     * An uploaded file to make visible ({@link #commitFiles}): insert its node, or with
     * {@code overwrite} replace the file there, and forget its kept upload.
     *
     * @param size      bytes
     * @param partialId the kept upload to forget in the same transaction, or 0
     * @param content   the bytes of a small file, stored in the database ({@link InlineBlobs}) in
     *                  the same transaction; null when they are the blob file {@code blobId}
     */
    public record NewFile(long userId, RemotePath path, long size, String md5, String blobId, boolean overwrite,
                          long partialId, byte[] content) {
    }

    /**
     * Makes uploaded files visible in <b>one</b> transaction (group commit: one write lock and one
     * WAL append for many uploads). Each file is applied in its own savepoint, so one that fails
     * leaves the others alone. Blob files must already be durable; the transaction is durable
     * when this returns (it syncs the WAL), with the small files' contents in it.
     *
     * @return for each file, in order: its {@link Commit}, or why it was refused:
     *         {@link FileAlreadyExistsException} (a file is there, no {@code overwrite}),
     *         {@link IsDirectoryException} (a directory is there), {@link NoSuchFileException} (the
     *         parent is missing or a file), {@link ReadOnlyException} (under {@code /shared}) or
     *         {@link SQLException}
     * @throws SQLException when the transaction as a whole fails (then none is committed)
     */
    public List<Object> commitFiles(List<NewFile> files) throws SQLException {
        long now = clock.millis();
        return db.durableTransaction(c -> {
            List<Object> out = new ArrayList<>(files.size());
            // Cached statements: a group commit of 2,000 small files parsed each of these 2,000 times.
            PreparedStatement savepoint = Database.prepared(c, "SAVEPOINT commit_file");
            PreparedStatement release = Database.prepared(c, "RELEASE commit_file");
            for (NewFile file : files) {
                if (isSharedView(file.path())) {
                    out.add(new ReadOnlyException(file.path()));
                    continue;
                }
                savepoint.execute();
                try {
                    out.add(commitIn(c, file, now));
                    release.execute();
                } catch (SQLException e) {
                    Database.prepared(c, "ROLLBACK TO commit_file").execute();
                    release.execute();
                    out.add(e);
                }
            }
            return out;
        });
    }

    /** One {@link NewFile} inside the caller's transaction: a {@link Commit} or the refusal as a value. */
    private static Object commitIn(Connection c, NewFile file, long now) throws SQLException {
        long userId = file.userId();
        RemotePath path = file.path();
        long size = file.size();
        String md5 = file.md5();
        String blobId = file.blobId();
        boolean overwrite = file.overwrite();
        long partialId = file.partialId();
        Optional<Node> parent = find(c, userId, path.parent());
        if (parent.isEmpty() || !parent.get().directory()) {
            return new NoSuchFileException(path.parent().toString());
        }
        Optional<Node> existing = child(c, parent.get().id(), path.name());
        Optional<String> replaced = Optional.empty();
        Node node;
        if (existing.isPresent()) {
            Node old = existing.get();
            if (old.directory()) {
                return new IsDirectoryException(path.toString());
            }
            if (!overwrite) {
                return new FileAlreadyExistsException(path.toString());
            }
            PreparedStatement ps = Database.prepared(c, "UPDATE nodes SET size = ?, md5 = ?, blob_id = ?, mtime = ? WHERE id = ?");
            ps.setLong(1, size);
            ps.setString(2, md5);
            ps.setString(3, blobId);
            ps.setLong(4, now);
            ps.setLong(5, old.id());
            ps.executeUpdate();
            // Copies share blobs: the old one goes only when nothing else refers to it.
            replaced = unreferenced(c, old.blobId() == null ? List.of() : List.of(old.blobId()))
                    .stream().findFirst();
            node = new Node(old.id(), old.parentId(), old.name(), false, size, md5, blobId, now);
        } else {
            PreparedStatement ps = Database.prepared(c, "INSERT INTO nodes (owner_id, parent_id, name, is_dir, size, md5,"
                    + " blob_id, mtime) VALUES (?, ?, ?, 0, ?, ?, ?, ?)");
            ps.setLong(1, userId);
            ps.setLong(2, parent.get().id());
            ps.setString(3, path.name());
            ps.setLong(4, size);
            ps.setString(5, md5);
            ps.setString(6, blobId);
            ps.setLong(7, now);
            ps.executeUpdate();
            node = child(c, parent.get().id(), path.name()).orElseThrow();
        }
        if (partialId != 0) {
            PartialUploads.delete(c, partialId);
        }
        if (file.content() != null) {
            InlineBlobs.put(c, blobId, file.content());
        }
        return new Commit(node, replaced);
    }

    static Optional<Node> find(Connection c, long userId, RemotePath path) throws SQLException {
        if (isSharedView(path)) {
            return Shares.resolve(c, userId, path);
        }
        return resolve(c, userId, path.names());
    }

    /** Paths up to this many names deep are looked up with one statement; deeper ones name by name. */
    static final int JOINED_DEPTH = 16;

    /** {@link #pathSql}, by depth: built once (the cached statements are keyed by this text). */
    private static final String[] PATH_SQL = new String[JOINED_DEPTH + 1];

    static {
        for (int depth = 1; depth <= JOINED_DEPTH; depth++) {
            PATH_SQL[depth] = pathSql(depth);
        }
    }

    /**
     * The node at {@code names} below the user's root, in one statement for up to
     * {@link #JOINED_DEPTH} names: what {@link #walk} does from {@link #root}, as joins, each
     * step by the index on (parent_id, name) and only through directories. A STAT of {@code /a/b/c}
     * runs one statement instead of four.
     */
    static Optional<Node> resolve(Connection c, long userId, List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return Optional.of(root(c, userId));
        }
        if (names.size() > JOINED_DEPTH) {
            return walk(c, root(c, userId), names);
        }
        PreparedStatement ps = Database.prepared(c, PATH_SQL[names.size()]);
        ps.setLong(1, userId);
        for (int i = 0; i < names.size(); i++) {
            ps.setString(i + 2, names.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(node(rs)) : Optional.empty();
        }
    }

    /**
     * {@code SELECT} the node {@code depth} names below a user's root: parameter {@code ?1} is the
     * owner, {@code ?2} to {@code ?(depth + 1)} the names.
     */
    static String pathSql(int depth) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String column : COLUMNS.split(", ")) {
            sql.append(sql.length() > 7 ? ", " : "").append('n').append(depth).append('.').append(column);
        }
        sql.append(" FROM nodes n0");
        for (int i = 1; i <= depth; i++) {
            sql.append(" JOIN nodes n").append(i).append(" ON n").append(i).append(".parent_id = n").append(i - 1)
                    .append(".id AND n").append(i).append(".name = ?").append(i + 1).append(" AND n").append(i - 1).append(".is_dir = 1");
        }
        return sql.append(" WHERE n0.owner_id = ?1 AND n0.parent_id IS NULL AND n0.name = ''").toString();
    }

    /** Walks {@code names} down from {@code start}, never up: the result is {@code start} or below it. */
    static Optional<Node> walk(Connection c, Node start, List<String> names) throws SQLException {
        Node current = start;
        for (String name : names) {
            if (!current.directory()) {
                return Optional.empty();
            }
            Optional<Node> child = child(c, current.id(), name);
            if (child.isEmpty()) {
                return Optional.empty();
            }
            current = child.get();
        }
        return Optional.of(current);
    }

    /** Whether {@code path} is in the read-only {@code /shared} view (the view itself included). */
    public static boolean isSharedView(RemotePath path) {
        return !path.isRoot() && path.names().get(0).equals(SHARED_VIEW);
    }

    /**
     * Refuses a change at {@code path} when it is in the {@code /shared} view: shares are read-only
     * and the name is reserved.
     *
     * @throws ReadOnlyException when it is
     */
    public static void checkWritable(RemotePath path) throws ReadOnlyException {
        if (isSharedView(path)) {
            throw new ReadOnlyException(path);
        }
    }

    /**
     * Which of {@code blobIds} no node refers to any more, live or trashed: their files may be
     * deleted once the caller's transaction has committed (no later transaction can add a
     * reference, since a new reference is always copied from an existing node). The contents of
     * small files among them ({@link InlineBlobs}) are deleted here, in the caller's transaction.
     */
    static List<String> unreferenced(Connection c, Collection<String> blobIds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM nodes WHERE blob_id = ? LIMIT 1")) {
            for (String blobId : new HashSet<>(blobIds)) {
                ps.setString(1, blobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        out.add(blobId);
                    }
                }
            }
        }
        for (String blobId : out) {
            InlineBlobs.delete(c, blobId);
        }
        return out;
    }

    /**
     * The bytes of a small file kept in the database under {@code blobId} ({@link InlineBlobs}),
     * or empty when its bytes are a blob file ({@link BlobStore#blobPath}).
     */
    public Optional<byte[]> inlineContent(String blobId) throws SQLException {
        return db.read(c -> InlineBlobs.find(c, blobId));
    }

    /**
     * A file's node, with its bytes when they are kept in the database.
     *
     * @param inline the bytes ({@link InlineBlobs}), or null when they are a blob file
     *               ({@link BlobStore#blobPath}), or when the node is a directory
     */
    public record Content(Node node, byte[] inline) {
    }

    /**
     * Looks up many paths on one pooled connection, for a batch of downloads: each path's node
     * and, for a file of at most {@link dev.netdisk.protocol.ProtocolLimits#SMALL_FILE_BYTES}, its bytes kept in the database.
     * Each statement reads its own snapshot: a file replaced between its two reads comes back
     * with null bytes and its blob file gone.
     *
     * @return one entry per path, in order; empty when nothing is there
     */
    public List<Optional<Content>> contents(long userId, List<RemotePath> paths) throws SQLException {
        return db.read(c -> {
            List<Optional<Content>> out = new ArrayList<>(paths.size());
            for (RemotePath path : paths) {
                Optional<Node> found = find(c, userId, path);
                if (found.isEmpty()) {
                    out.add(Optional.empty());
                    continue;
                }
                Node node = found.get();
                byte[] inline = null;
                if (!node.directory() && InlineBlobs.fits(node.size())) {
                    inline = InlineBlobs.find(c, node.blobId()).orElse(null);
                }
                out.add(Optional.of(new Content(node, inline)));
            }
            return out;
        });
    }

    /** The root directory of {@code userId} (a trashed subtree's top is also parentless, but named). */
    static Node root(Connection c, long userId) throws SQLException {
        PreparedStatement ps = Database.prepared(c, ROOT_SQL);
        ps.setLong(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("user " + userId + " has no root directory");
            }
            return node(rs);
        }
    }

    static Optional<Node> child(Connection c, long parentId, String name) throws SQLException {
        PreparedStatement ps = Database.prepared(c, CHILD_SQL);
        ps.setLong(1, parentId);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(node(rs)) : Optional.empty();
        }
    }

    Node insertDirectory(Connection c, long userId, long parentId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO nodes (owner_id, parent_id, name, is_dir, mtime) VALUES (?, ?, ?, 1, ?)")) {
            ps.setLong(1, userId);
            ps.setLong(2, parentId);
            ps.setString(3, name);
            ps.setLong(4, clock.millis());
            ps.executeUpdate();
        }
        return child(c, parentId, name).orElseThrow();
    }

    static Node node(ResultSet rs) throws SQLException {
        return new Node(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4) != 0, rs.getLong(5),
                rs.getString(6), rs.getString(7), rs.getLong(8));
    }
}
