package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL that several stores share, run inside the caller's read or transaction: path lookup
 * (a user's tree and the {@code /shared} view), the node row, subtrees and their sizes, blob
 * reference counting, friendship, and plain statement helpers. One copy of each query, so a
 * change of the schema or of an index is made once.
 *
 * <p>Stateless; blocking (JDBC). The connection is the caller's: never call from the selector thread.
 */
public final class StoreSql {

    private StoreSql() {
    }

    /** The columns of a node row, in the order {@link #node} reads them. */
    static final String COLUMNS = "id, parent_id, name, is_dir, size, md5, blob_id, mtime";

    // Looked up by the indexes nodes_root_by_owner and nodes_by_parent_and_name (EXPLAIN QUERY PLAN
    // in QueryPlanTest); prepared once per pooled connection.
    static final String ROOT_SQL = "SELECT " + COLUMNS + " FROM nodes WHERE owner_id = ? AND parent_id IS NULL AND name = ''";
    static final String CHILD_SQL = "SELECT " + COLUMNS + " FROM nodes WHERE parent_id = ? AND name = ?";
    static final String LIST_SQL = "SELECT " + COLUMNS + " FROM nodes WHERE parent_id = ? ORDER BY name";

    /** The subtree of the node bound as the first parameter, as a CTE named {@code sub(id)}. */
    static final String SUBTREE = "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL"
            + " SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id) ";

    /** Paths up to this many names deep are looked up with one statement; deeper ones name by name. */
    static final int JOINED_DEPTH = 16;

    /** {@link #pathSql}, by depth: built once (the cached statements are keyed by this text). */
    private static final String[] PATH_SQL = new String[JOINED_DEPTH + 1];

    static {
        for (int depth = 1; depth <= JOINED_DEPTH; depth++) {
            PATH_SQL[depth] = pathSql(depth);
        }
    }

    // ---- nodes and paths ----

    /** {@link #COLUMNS} with every column prefixed by the table alias {@code alias}. */
    static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    /** The node of the current row, whose first columns are {@link #COLUMNS}. */
    static Node node(ResultSet rs) throws SQLException {
        return new Node(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4) != 0, rs.getLong(5),
                rs.getString(6), rs.getString(7), rs.getLong(8));
    }

    /** The node at {@code path} of {@code userId}: in their tree, or in their {@code /shared} view. */
    static Optional<Node> find(Connection c, long userId, RemotePath path) throws SQLException {
        if (FileTree.isSharedView(path)) {
            return SharedView.resolve(c, userId, path);
        }
        return resolve(c, userId, path.names());
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
        for (int i = 0; i < names.size(); i++) {
            ps.setString(i + 1, names.get(i));
        }
        ps.setLong(names.size() + 1, userId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(node(rs)) : Optional.empty();
        }
    }

    /**
     * {@code SELECT} the node {@code depth} names below a user's root: parameters 1 to {@code depth}
     * are the names, {@code depth + 1} the owner (plain {@code ?}: PostgreSQL has no {@code ?NNN}).
     */
    static String pathSql(int depth) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String column : COLUMNS.split(", ")) {
            sql.append(sql.length() > 7 ? ", " : "").append('n').append(depth).append('.').append(column);
        }
        sql.append(" FROM nodes n0");
        for (int i = 1; i <= depth; i++) {
            sql.append(" JOIN nodes n").append(i).append(" ON n").append(i).append(".parent_id = n").append(i - 1)
                    .append(".id AND n").append(i).append(".name = ? AND n").append(i - 1).append(".is_dir = 1");
        }
        return sql.append(" WHERE n0.owner_id = ? AND n0.parent_id IS NULL AND n0.name = ''").toString();
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

    /** The entry {@code name} of the directory {@code parentId}. */
    static Optional<Node> child(Connection c, long parentId, String name) throws SQLException {
        PreparedStatement ps = Database.prepared(c, CHILD_SQL);
        ps.setLong(1, parentId);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(node(rs)) : Optional.empty();
        }
    }

    /** The entries of the directory {@code parentId}, by name. */
    static List<Node> children(Connection c, long parentId) throws SQLException {
        PreparedStatement ps = Database.prepared(c, LIST_SQL);
        ps.setLong(1, parentId);
        List<Node> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(node(rs));
            }
        }
        return out;
    }

    /** Whether the directory {@code nodeId} has any entry. */
    static boolean hasChildren(Connection c, long nodeId) throws SQLException {
        return exists(c, "SELECT 1 FROM nodes WHERE parent_id = ? LIMIT 1", nodeId);
    }

    /**
     * Creates the directory {@code name} in {@code parentId} (or, with {@code parentId} null, the
     * root of a new user), modified at {@code mtimeMillis}.
     *
     * @return the new directory
     */
    static Node insertDirectory(Connection c, long userId, Long parentId, String name, long mtimeMillis)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO nodes (owner_id, parent_id, name, is_dir, mtime) VALUES (?, ?, ?, 1, ?) RETURNING "
                        + COLUMNS)) {
            ps.setLong(1, userId);
            if (parentId == null) {
                ps.setNull(2, java.sql.Types.INTEGER);
            } else {
                ps.setLong(2, parentId);
            }
            ps.setString(3, name);
            ps.setLong(4, mtimeMillis);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return node(rs);
            }
        }
    }

    /** The path of a live node in its owner's tree, from the root. */
    static String pathOf(Connection c, long nodeId) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE up(id, parent_id, name, depth) AS ("
                + "SELECT id, parent_id, name, 0 FROM nodes WHERE id = ? UNION ALL"
                + " SELECT n.id, n.parent_id, n.name, up.depth + 1 FROM nodes n JOIN up ON n.id = up.parent_id)"
                + " SELECT name FROM up ORDER BY depth")) {
            ps.setLong(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        Collections.reverse(names);
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            if (!name.isEmpty()) {
                out.append('/').append(name);
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    // ---- sizes ----

    /** The size of the tree under node {@code nodeId}, itself included. A virtual node (id 0 or less) is empty. */
    static Quotas.Tally tally(Connection c, long nodeId) throws SQLException {
        if (nodeId <= 0) {
            return new Quotas.Tally(0, 0, 1);
        }
        try (PreparedStatement ps = c.prepareStatement(SUBTREE + "SELECT COALESCE(SUM(n.size), 0),"
                + " COALESCE(SUM(1 - n.is_dir), 0), COALESCE(SUM(n.is_dir), 0) FROM nodes n JOIN sub ON n.id = sub.id")) {
            ps.setLong(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Quotas.Tally(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    // ---- blob references ----

    /** Every blob id a file refers to, live or in the trash (trashed nodes keep their rows). */
    static Set<String> referencedBlobs(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT blob_id FROM nodes WHERE blob_id IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
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

    // ---- users and friends ----

    /** The id of the user named {@code name} (any case), enabled or not. */
    static Optional<Long> userId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
            ps.setString(1, name.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Whether {@code a} counts {@code b} among their friends (friendship is stored both ways). */
    public static boolean areFriends(Connection c, long a, long b) throws SQLException {
        return exists(c, "SELECT 1 FROM friends WHERE user_id = ? AND friend_id = ?", a, b);
    }

    /** The users {@code sql} selects as {@code (id, name)} rows, with {@code id} bound to its one parameter. */
    public static List<User> users(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            List<User> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new User(rs.getLong(1), rs.getString(2)));
                }
            }
            return out;
        }
    }

    // ---- statements ----

    /** Whether {@code sql} (a query) returns a row, with {@code params} bound in order. */
    public static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Runs {@code sql} (a change) with {@code params} bound in order; how many rows it changed. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** {@code sql} prepared (not cached: the caller closes it) with {@code params} bound in order. */
    public static PreparedStatement bind(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            // A flag is a 0/1 integer in both schemas: PostgreSQL would not compare a BOOLEAN with one.
            ps.setObject(i + 1, params[i] instanceof Boolean b ? (b ? 1 : 0) : params[i]);
        }
        return ps;
    }
}
