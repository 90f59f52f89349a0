package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Read-only sharing: with a friend, seen as {@code /shared/<owner>/<name>/...}, and by link code,
 * fetched by any logged-in user.
 *
 * <p>Confinement: {@link #resolve} starts at the shared node and only walks down ({@link
 * FileTree#walk}); {@code ..} was already folded by {@link RemotePath#resolve} inside the view's
 * text, so no path can leave the shared subtree. A share is visible only while its owner and
 * recipient are friends; trashing a shared entry ends its shares and links.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class Shares {

    /** Link codes: 16 characters of base32 (RFC 4648 alphabet, lower case) = 80 random bits. */
    public static final int CODE_LENGTH = 16;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why {@link #share} did not share. */
    public enum Refusal { NO_SUCH_USER, YOURSELF, NOT_FRIENDS, ALREADY_SHARED, NAME_TAKEN }

    /** A refused {@link #share}, with the reason. */
    public static final class RefusedException extends Exception {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * A share, as its owner or its recipient sees it.
     *
     * @param owner     the owner's name
     * @param recipient the recipient's name
     * @param name      the name under {@code /shared/<owner>/}
     * @param path      the owner's current path of the shared entry
     */
    public record Share(String owner, String recipient, String name, String path) {
    }

    /**
     * A link.
     *
     * @param code      the code
     * @param expiresAt when it stops working; empty for never
     * @param path      the owner's current path of the linked file
     */
    public record Link(String code, Optional<Instant> expiresAt, String path) {
    }

    private final Database db;
    private final Clock clock;

    public Shares(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- the /shared view ----

    private static final String VISIBLE = "FROM shares s JOIN users o ON o.id = s.owner_id"
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
        try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed("n") + " " + VISIBLE.replace("WHERE",
                "JOIN nodes n ON n.id = s.node_id WHERE") + " AND o.name = ? AND s.name = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, names.get(1));
            ps.setString(3, names.get(2));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Node n = FileTree.node(rs);
                top = new Node(n.id(), n.parentId(), names.get(2), n.directory(), n.size(), n.md5(), n.blobId(),
                        n.mtimeMillis());
            }
        }
        return FileTree.walk(c, top, names.subList(3, names.size()));
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed("n") + ", s.name " + VISIBLE.replace(
                    "WHERE", "JOIN nodes n ON n.id = s.node_id WHERE") + " AND o.name = ? ORDER BY s.name")) {
                ps.setLong(1, userId);
                ps.setString(2, names.get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Node n = FileTree.node(rs);
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

    private static String prefixed(String alias) {
        return alias + "." + FileTree.COLUMNS.replace(", ", ", " + alias + ".");
    }

    // ---- shares with friends ----

    /**
     * Shares the entry at {@code path} of {@code ownerId} (not the root, not in {@code /shared})
     * read-only with the friend {@code recipient}, under the entry's name.
     *
     * @return the share
     * @throws NoSuchFileException nothing is at {@code path}
     * @throws RefusedException    no such user, yourself, not friends, already shared with them,
     *                             or they already have a share of that name from you
     */
    public Share share(User owner, RemotePath path, String recipient) throws SQLException, FileSystemException,
            RefusedException {
        FileTree.checkWritable(path);
        Object result = Tx.run(db, c -> {
            Node node = FileTree.find(c, owner.id(), path).orElseThrow(() -> new NoSuchFileException(path.toString()));
            Optional<Long> to = userId(c, recipient);
            if (to.isEmpty()) {
                return Refusal.NO_SUCH_USER;
            }
            if (to.get() == owner.id()) {
                return Refusal.YOURSELF;
            }
            if (!exists(c, "SELECT 1 FROM friends WHERE user_id = ? AND friend_id = ?", owner.id(), to.get())) {
                return Refusal.NOT_FRIENDS;
            }
            if (exists(c, "SELECT 1 FROM shares WHERE node_id = ? AND recipient_id = ?", node.id(), to.get())) {
                return Refusal.ALREADY_SHARED;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO shares (owner_id, recipient_id, node_id, name,"
                    + " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, owner.id());
                ps.setLong(2, to.get());
                ps.setLong(3, node.id());
                ps.setString(4, path.name());
                ps.setLong(5, clock.millis());
                if (ps.executeUpdate() == 0) {
                    return Refusal.NAME_TAKEN;
                }
            }
            return new Share(owner.name(), recipient.toLowerCase(Locale.ROOT), path.name(), path.toString());
        });
        if (result instanceof Refusal r) {
            throw new RefusedException(r);
        }
        return (Share) result;
    }

    /**
     * Ends the shares of the entry at {@code path}: with {@code recipient}, or with everyone.
     *
     * @return how many shares ended (0 when there were none)
     * @throws NoSuchFileException nothing is at {@code path}
     */
    public int unshare(long ownerId, RemotePath path, Optional<String> recipient) throws SQLException,
            FileSystemException {
        FileTree.checkWritable(path);
        return Tx.run(db, c -> {
            Node node = FileTree.find(c, ownerId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
            String sql = "DELETE FROM shares WHERE owner_id = ? AND node_id = ?"
                    + (recipient.isPresent() ? " AND recipient_id = (SELECT id FROM users WHERE name = ?)" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, ownerId);
                ps.setLong(2, node.id());
                if (recipient.isPresent()) {
                    ps.setString(3, recipient.get().toLowerCase(Locale.ROOT));
                }
                return ps.executeUpdate();
            }
        });
    }

    /** The shares {@code userId} gave, by recipient then path. */
    public List<Share> given(User user) throws SQLException {
        return db.read(c -> {
            List<Share> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.name, s.name, s.node_id FROM shares s"
                    + " JOIN users r ON r.id = s.recipient_id WHERE s.owner_id = ? ORDER BY r.name, s.name")) {
                ps.setLong(1, user.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Share(user.name(), rs.getString(1), rs.getString(2), pathOf(c, rs.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    /** The shares {@code userId} can see, by owner then name; the path is where the recipient sees it. */
    public List<Share> received(User user) throws SQLException {
        return db.read(c -> {
            List<Share> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.name, s.name " + VISIBLE
                    + " ORDER BY o.name, s.name")) {
                ps.setLong(1, user.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Share(rs.getString(1), user.name(), rs.getString(2),
                                RemotePath.ROOT.child(FileTree.SHARED_VIEW).child(rs.getString(1))
                                        .child(rs.getString(2)).toString()));
                    }
                }
            }
            return out;
        });
    }

    // ---- links ----

    /**
     * Creates a link to the file at {@code path} of {@code ownerId}.
     *
     * @param expiresAt when the link stops working; empty for never
     * @return the link
     * @throws NoSuchFileException  nothing is at {@code path}
     * @throws IsDirectoryException a directory is there (links are for files)
     */
    public Link link(long ownerId, RemotePath path, Optional<Instant> expiresAt) throws SQLException,
            FileSystemException {
        FileTree.checkWritable(path);
        String code = newCode();
        return Tx.run(db, c -> {
            Node node = FileTree.find(c, ownerId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
            if (node.directory()) {
                throw new IsDirectoryException(path.toString());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO share_links (code, owner_id, node_id, created_at,"
                    + " expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, code);
                ps.setLong(2, ownerId);
                ps.setLong(3, node.id());
                ps.setLong(4, clock.millis());
                if (expiresAt.isPresent()) {
                    ps.setLong(5, expiresAt.get().toEpochMilli());
                } else {
                    ps.setNull(5, java.sql.Types.INTEGER);
                }
                ps.executeUpdate();
            }
            return new Link(code, expiresAt, path.toString());
        });
    }

    /** {@code ownerId}'s links, expired ones included (until revoked), oldest first. */
    public List<Link> links(long ownerId) throws SQLException {
        return db.read(c -> {
            List<Link> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT code, expires_at, node_id FROM share_links"
                    + " WHERE owner_id = ? ORDER BY created_at, code")) {
                ps.setLong(1, ownerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long expires = rs.getLong(2);
                        Optional<Instant> at = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expires));
                        out.add(new Link(rs.getString(1), at, pathOf(c, rs.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    /** Revokes {@code ownerId}'s link {@code code}; false when they have no such link. */
    public boolean revoke(long ownerId, String code) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM share_links WHERE owner_id = ? AND code = ?")) {
                ps.setLong(1, ownerId);
                ps.setString(2, code.toLowerCase(Locale.ROOT));
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** What a link resolves to now. */
    public sealed interface Fetch {
        /** The linked file. */
        record Found(Node node) implements Fetch {
        }

        /** No such link, or revoked, or its file was trashed. */
        record Unknown() implements Fetch {
        }

        /** The link expired at {@code at}. */
        record Expired(Instant at) implements Fetch {
        }
    }

    /** The file behind link {@code code}. */
    public Fetch fetch(String code) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.expires_at, " + prefixed("n")
                    + " FROM share_links l JOIN nodes n ON n.id = l.node_id WHERE l.code = ?")) {
                ps.setString(1, code.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Fetch.Unknown();
                    }
                    long expires = rs.getLong(1);
                    if (!rs.wasNull() && expires <= clock.millis()) {
                        return new Fetch.Expired(Instant.ofEpochMilli(expires));
                    }
                    // The node columns start at the second column.
                    return new Fetch.Found(new Node(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5) != 0,
                            rs.getLong(6), rs.getString(7), rs.getString(8), rs.getLong(9)));
                }
            }
        });
    }

    /** A new random link code. */
    static String newCode() {
        StringBuilder out = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            out.append(BASE32[RANDOM.nextInt(32)]);
        }
        return out.toString();
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

    private static Optional<Long> userId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
            ps.setString(1, name.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static boolean exists(Connection c, String sql, long a, long b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
