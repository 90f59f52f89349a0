package dev.netdisk.server.chat;

import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Friends, groups and messages in SQLite (schema {@code V003__chat.sql}).
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class ChatStore {

    /** What {@link #requestFriend} did. */
    public enum RequestResult { SENT, NOW_FRIENDS, ALREADY_FRIENDS, ALREADY_REQUESTED }

    /** A group: its id, name (without {@code #}) and owner. */
    public record Group(long id, String name, long ownerId) {
    }

    /** A group as {@code GROUP LIST} shows it. */
    public record GroupSummary(String name, String owner, int members) {
    }

    /**
     * A stored message.
     *
     * @param id     the message id, growing with time
     * @param sentAt milliseconds since the epoch, UTC
     * @param from   the sender's name
     * @param to     the recipient's name, or {@code #group}
     */
    public record Message(long id, long sentAt, String from, String to, String body) {
    }

    private final Database db;
    private final Clock clock;

    public ChatStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- friends ----

    public boolean areFriends(long a, long b) throws SQLException {
        return db.read(c -> exists(c, "SELECT 1 FROM friends WHERE user_id = ? AND friend_id = ?", a, b));
    }

    /**
     * Asks {@code to} to be friends with {@code from}; when {@code to} had already asked
     * {@code from}, they become friends at once.
     */
    public RequestResult requestFriend(long from, long to) throws SQLException {
        return db.transaction(c -> {
            if (exists(c, "SELECT 1 FROM friends WHERE user_id = ? AND friend_id = ?", from, to)) {
                return RequestResult.ALREADY_FRIENDS;
            }
            if (exists(c, "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", to, from)) {
                befriend(c, from, to);
                return RequestResult.NOW_FRIENDS;
            }
            if (exists(c, "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", from, to)) {
                return RequestResult.ALREADY_REQUESTED;
            }
            update(c, "INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)", from, to, clock.millis());
            return RequestResult.SENT;
        });
    }

    /** Accepts the request {@code from} sent {@code me}; false when there is none. */
    public boolean accept(long me, long from) throws SQLException {
        return db.transaction(c -> {
            if (!exists(c, "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", from, me)) {
                return false;
            }
            befriend(c, me, from);
            return true;
        });
    }

    /** Declines the request {@code from} sent {@code me}; false when there is none. */
    public boolean decline(long me, long from) throws SQLException {
        return db.transaction(c -> update(c, "DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?", from, me) > 0);
    }

    /** Ends a friendship (and any request between the two); false when they were not friends. */
    public boolean unfriend(long me, long other) throws SQLException {
        return db.transaction(c -> {
            int n = update(c, "DELETE FROM friends WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)",
                    me, other, other, me);
            return n > 0;
        });
    }

    /** The friends of {@code userId}, by name. */
    public List<User> friends(long userId) throws SQLException {
        return users("SELECT u.id, u.name FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.name", userId);
    }

    /** Who asked {@code userId} to be friends, by name. */
    public List<User> incomingRequests(long userId) throws SQLException {
        return users("SELECT u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.from_id WHERE r.to_id = ? ORDER BY u.name", userId);
    }

    /** Whom {@code userId} asked to be friends, by name. */
    public List<User> outgoingRequests(long userId) throws SQLException {
        return users("SELECT u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.to_id WHERE r.from_id = ? ORDER BY u.name", userId);
    }

    /** Up to {@code limit} enabled user names starting with {@code prefix}, by name. */
    public List<String> searchUsers(String prefix, int limit) throws SQLException {
        String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM users WHERE name LIKE ? ESCAPE '\\' AND disabled = 0 ORDER BY name LIMIT ?")) {
                ps.setString(1, escaped + "%");
                ps.setInt(2, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    // ---- groups ----

    /** Creates a group owned (and joined) by {@code ownerId}; empty when the name is taken. */
    public Optional<Group> createGroup(String name, long ownerId) throws SQLException {
        return db.transaction(c -> {
            if (exists(c, "SELECT 1 FROM chat_groups WHERE name = ?", name)) {
                return Optional.empty();
            }
            long now = clock.millis();
            update(c, "INSERT INTO chat_groups (name, owner_id, created_at) VALUES (?, ?, ?)", name, ownerId, now);
            Group g = findGroup(c, name).orElseThrow();
            update(c, "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)", g.id(), ownerId, now);
            return Optional.of(g);
        });
    }

    public Optional<Group> findGroup(String name) throws SQLException {
        return db.read(c -> findGroup(c, name));
    }

    public boolean isMember(long groupId, long userId) throws SQLException {
        return db.read(c -> exists(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId));
    }

    /** Adds a member; false when already one. */
    public boolean join(long groupId, long userId) throws SQLException {
        return db.transaction(c -> update(c,
                "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                groupId, userId, clock.millis()) > 0);
    }

    /**
     * Removes a member; false when not one. When the owner leaves, the longest-standing member
     * becomes the owner; the last member leaving deletes the group and its history.
     */
    public boolean leave(long groupId, long userId) throws SQLException {
        return db.transaction(c -> {
            if (update(c, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId) == 0) {
                return false;
            }
            Optional<Long> successor = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id FROM group_members WHERE group_id = ? ORDER BY joined_at, user_id LIMIT 1")) {
                ps.setLong(1, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        successor = Optional.of(rs.getLong(1));
                    }
                }
            }
            if (successor.isEmpty()) {
                update(c, "DELETE FROM chat_groups WHERE id = ?", groupId);
            } else {
                update(c, "UPDATE chat_groups SET owner_id = ? WHERE id = ? AND owner_id = ?", successor.get(), groupId, userId);
            }
            return true;
        });
    }

    /** The members of a group, by name. */
    public List<User> members(long groupId) throws SQLException {
        return users("SELECT u.id, u.name FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.name", groupId);
    }

    /** The groups {@code userId} belongs to, by name. */
    public List<GroupSummary> groupsOf(long userId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT g.name, o.name, (SELECT count(*) FROM group_members x WHERE x.group_id = g.id)"
                            + " FROM group_members m JOIN chat_groups g ON g.id = m.group_id JOIN users o ON o.id = g.owner_id"
                            + " WHERE m.user_id = ? ORDER BY g.name")) {
                ps.setLong(1, userId);
                List<GroupSummary> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new GroupSummary(rs.getString(1), rs.getString(2), rs.getInt(3)));
                    }
                }
                return out;
            }
        });
    }

    // ---- messages ----

    /**
     * A message to store: from {@code sender} to the user {@code recipientId} or the group
     * {@code groupId} (the other is 0); {@code to} is the target as events show it.
     */
    public record Draft(User sender, long recipientId, long groupId, String to, String body) {
    }

    /** Says, inside the storing transaction, which recipients of a draft are offline. */
    @FunctionalInterface
    public interface OfflineRecipients {
        List<Long> of(int index);
    }

    /**
     * Stores messages in one transaction, in the order given (their ids grow in that order), and
     * queues each for the recipients {@code offline} names. {@code offline} is asked after the
     * write lock is taken, so a recipient logging in meanwhile either counts as online or finds the
     * message with {@code takePending} (which waits for this commit).
     *
     * @return the stored messages, in the order of {@code drafts}
     */
    public List<Message> storeAll(List<Draft> drafts, OfflineRecipients offline) throws SQLException {
        return db.transaction(c -> {
            long now = clock.millis();
            List<Message> out = new ArrayList<>(drafts.size());
            boolean pending = false;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO messages (sender_id, recipient_id, group_id, body, sent_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
                 PreparedStatement queue = c.prepareStatement(
                         "INSERT INTO pending_deliveries (user_id, message_id) VALUES (?, ?)")) {
                for (int i = 0; i < drafts.size(); i++) {
                    Draft d = drafts.get(i);
                    insert.setLong(1, d.sender().id());
                    if (d.recipientId() != 0) {
                        insert.setLong(2, d.recipientId());
                    } else {
                        insert.setNull(2, java.sql.Types.INTEGER);
                    }
                    if (d.groupId() != 0) {
                        insert.setLong(3, d.groupId());
                    } else {
                        insert.setNull(3, java.sql.Types.INTEGER);
                    }
                    insert.setString(4, d.body());
                    insert.setLong(5, now);
                    long id;
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                    for (long userId : offline.of(i)) {
                        queue.setLong(1, userId);
                        queue.setLong(2, id);
                        queue.addBatch();
                        pending = true;
                    }
                    out.add(new Message(id, now, d.sender().name(), d.to(), d.body()));
                }
                if (pending) {
                    queue.executeBatch();
                }
            }
            return out;
        });
    }

    /** Takes (returns and forgets) the messages waiting for {@code userId}, oldest first. */
    public List<Message> takePending(long userId) throws SQLException {
        return db.transaction(c -> {
            List<Message> out = messages(c, MESSAGE_SELECT
                    + " JOIN pending_deliveries p ON p.message_id = m.id WHERE p.user_id = ? ORDER BY m.id", userId);
            if (!out.isEmpty()) {
                update(c, "DELETE FROM pending_deliveries WHERE user_id = ?", userId);
            }
            return out;
        });
    }

    /** Up to {@code limit} private messages between two users with ids below {@code beforeId}, oldest first. */
    public List<Message> privateHistory(long a, long b, int limit, long beforeId) throws SQLException {
        List<Message> newestFirst = db.read(c -> messages(c, MESSAGE_SELECT
                + " WHERE ((m.sender_id = ? AND m.recipient_id = ?) OR (m.sender_id = ? AND m.recipient_id = ?))"
                + " AND m.id < ? ORDER BY m.id DESC LIMIT ?", a, b, b, a, beforeId, limit));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Up to {@code limit} messages of a group with ids below {@code beforeId}, oldest first. */
    public List<Message> groupHistory(long groupId, int limit, long beforeId) throws SQLException {
        List<Message> newestFirst = db.read(c -> messages(c, MESSAGE_SELECT
                + " WHERE m.group_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?", groupId, beforeId, limit));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private static final String MESSAGE_SELECT = "SELECT m.id, m.sent_at, s.name,"
            + " coalesce(r.name, '#' || g.name), m.body FROM messages m JOIN users s ON s.id = m.sender_id"
            + " LEFT JOIN users r ON r.id = m.recipient_id LEFT JOIN chat_groups g ON g.id = m.group_id";

    // ---- helpers ----

    private void befriend(Connection c, long a, long b) throws SQLException {
        long now = clock.millis();
        update(c, "DELETE FROM friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)", a, b, b, a);
        update(c, "INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", a, b, now);
        update(c, "INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", b, a, now);
    }

    private static Optional<Group> findGroup(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, owner_id FROM chat_groups WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Group(rs.getLong(1), rs.getString(2), rs.getLong(3))) : Optional.empty();
            }
        }
    }

    private List<User> users(String sql, long id) throws SQLException {
        return db.read(c -> {
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
        });
    }

    private static List<Message> messages(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, params)) {
            List<Message> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Message(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        }
    }

    private static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement bind(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
