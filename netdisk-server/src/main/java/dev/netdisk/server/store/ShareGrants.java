package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Read-only sharing with friends: an owner grants a friend an entry, which the friend then sees
 * as {@code /shared/<owner>/<name>/...} ({@link SharedView}). A share is visible only while its
 * owner and recipient are friends; trashing a shared entry ends its shares.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class ShareGrants {

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

    private final Database db;
    private final Clock clock;

    public ShareGrants(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

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
            Node node = StoreSql.find(c, owner.id(), path).orElseThrow(() -> new NoSuchFileException(path.toString()));
            Optional<Long> to = StoreSql.userId(c, recipient);
            if (to.isEmpty()) {
                return Refusal.NO_SUCH_USER;
            }
            if (to.get() == owner.id()) {
                return Refusal.YOURSELF;
            }
            if (!StoreSql.areFriends(c, owner.id(), to.get())) {
                return Refusal.NOT_FRIENDS;
            }
            if (StoreSql.exists(c, "SELECT 1 FROM shares WHERE node_id = ? AND recipient_id = ?", node.id(), to.get())) {
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
            Node node = StoreSql.find(c, ownerId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
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
                        out.add(new Share(user.name(), rs.getString(1), rs.getString(2), StoreSql.pathOf(c, rs.getLong(3))));
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
            try (PreparedStatement ps = c.prepareStatement("SELECT o.name, s.name " + SharedView.VISIBLE
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
}
