package dev.netdisk.server.chat;

import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.StoreSql;
import dev.netdisk.server.store.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chat groups and their members in SQLite (schema {@code V003__chat.sql}). A group's messages are
 * in {@link MessageStore}.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class GroupStore {

    /** A group: its id, name (without {@code #}) and owner. */
    public record Group(long id, String name, long ownerId) {
    }

    /** A group as {@code GROUP LIST} shows it. */
    public record GroupSummary(String name, String owner, int members) {
    }

    private final Database db;
    private final Clock clock;

    public GroupStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates a group owned (and joined) by {@code ownerId}; empty when the name is taken. */
    public Optional<Group> createGroup(String name, long ownerId) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.exists(c, "SELECT 1 FROM chat_groups WHERE name = ?", name)) {
                return Optional.empty();
            }
            long now = clock.millis();
            StoreSql.update(c, "INSERT INTO chat_groups (name, owner_id, created_at) VALUES (?, ?, ?)", name, ownerId, now);
            Group g = findGroup(c, name).orElseThrow();
            StoreSql.update(c, "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)", g.id(), ownerId, now);
            return Optional.of(g);
        });
    }

    public Optional<Group> findGroup(String name) throws SQLException {
        return db.read(c -> findGroup(c, name));
    }

    public boolean isMember(long groupId, long userId) throws SQLException {
        return db.read(c -> StoreSql.exists(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId));
    }

    /** Adds a member; false when already one. */
    public boolean join(long groupId, long userId) throws SQLException {
        return db.transaction(c -> StoreSql.update(c,
                "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                groupId, userId, clock.millis()) > 0);
    }

    /**
     * Removes a member; false when not one. When the owner leaves, the longest-standing member
     * becomes the owner; the last member leaving deletes the group and its history.
     */
    public boolean leave(long groupId, long userId) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.update(c, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId) == 0) {
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
                StoreSql.update(c, "DELETE FROM chat_groups WHERE id = ?", groupId);
            } else {
                StoreSql.update(c, "UPDATE chat_groups SET owner_id = ? WHERE id = ? AND owner_id = ?", successor.get(), groupId, userId);
            }
            return true;
        });
    }

    /** The members of a group, by name. */
    public List<User> members(long groupId) throws SQLException {
        return db.read(c -> StoreSql.users(c, "SELECT u.id, u.name FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.name", groupId));
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

    private static Optional<Group> findGroup(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, owner_id FROM chat_groups WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Group(rs.getLong(1), rs.getString(2), rs.getLong(3))) : Optional.empty();
            }
        }
    }
}
