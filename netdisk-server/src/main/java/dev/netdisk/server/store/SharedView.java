package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read-only {@code /shared} view of what friends share with a user: {@code /shared} holds a
 * directory per owner, {@code /shared/<owner>} the entries that owner shares, by share name, and
 * below those the shared subtrees themselves. Grants are made by {@link ShareGrants}.
 *
 * <p>Confinement: {@link #resolve} starts at the shared node and only walks down ({@link
 * StoreSql#walk}); {@code ..} was already folded by {@link RemotePath#resolve} inside the view's
 * text, so no path can leave the shared subtree. A share is visible only while its owner and
 * recipient are friends.
 *
 * <p>Stateless; blocking (JDBC), on the caller's connection: never call from the selector thread.
 */
final class SharedView {

    private SharedView() {
    }

    /** The shares visible to the recipient bound as the first parameter: {@code s} the share, {@code o} its owner. */
    static final String VISIBLE = "FROM shares s JOIN users o ON o.id = s.owner_id"
            + " JOIN friends f ON f.user_id = s.owner_id AND f.friend_id = s.recipient_id WHERE s.recipient_id = ?";

    /** The node at {@code path}, which is in the {@code /shared} view of {@code userId}. */
    static Optional<Node> resolve(Connection c, long userId, RemotePath path) throws SQLException {
        List<String> names = path.names();
        if (names.size() == 1) {
            return Optional.of(virtual(FileTree.SHARED_VIEW));
        }
        if (names.size() == 2) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 " + VISIBLE + " AND o.name = ? LIMIT 1")) {
                ps.setLong(1, userId);
                ps.setString(2, names.get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(virtual(names.get(1))) : Optional.empty();
                }
            }
        }
        Node top;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + StoreSql.prefixed("n") + " " + VISIBLE.replace("WHERE",
                "JOIN nodes n ON n.id = s.node_id WHERE") + " AND o.name = ? AND s.name = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, names.get(1));
            ps.setString(3, names.get(2));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Node n = StoreSql.node(rs);
                top = new Node(n.id(), n.parentId(), names.get(2), n.directory(), n.size(), n.md5(), n.blobId(),
                        n.mtimeMillis());
            }
        }
        return StoreSql.walk(c, top, names.subList(3, names.size()));
    }

    /**
     * The entries of a directory of the view that is not a shared one: {@code /shared} (a directory
     * per owner) or {@code /shared/<owner>} (the entries that owner shares); empty when it is not
     * such a directory.
     */
    static Optional<List<Node>> listVirtual(Connection c, long userId, RemotePath path) throws SQLException {
        List<String> names = path.names();
        List<Node> out = new ArrayList<>();
        if (names.size() == 1) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT o.name " + VISIBLE + " ORDER BY o.name")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(virtual(rs.getString(1)));
                    }
                }
            }
            return Optional.of(out);
        }
        if (names.size() == 2) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + StoreSql.prefixed("n") + ", s.name " + VISIBLE.replace(
                    "WHERE", "JOIN nodes n ON n.id = s.node_id WHERE") + " AND o.name = ? ORDER BY s.name")) {
                ps.setLong(1, userId);
                ps.setString(2, names.get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Node n = StoreSql.node(rs);
                        out.add(new Node(n.id(), n.parentId(), rs.getString(9), n.directory(), n.size(), n.md5(),
                                n.blobId(), n.mtimeMillis()));
                    }
                }
            }
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        }
        return Optional.empty();
    }

    private static Node virtual(String name) {
        return new Node(-1, -1, name, true, 0, null, null, 0);
    }
}
