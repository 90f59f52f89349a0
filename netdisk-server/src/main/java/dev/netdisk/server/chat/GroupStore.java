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
 * Chat groups and their members in SQLite (schemas {@code V003__chat.sql}, {@code V009__group_roles.sql}):
 * owner and admins, invitations, bans, whether anyone may join and whether newcomers read the
 * history from before they joined. A group's messages are in {@link MessageStore}.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class GroupStore {

    /**
     * A group: its id, name (without {@code #}) and owner.
     *
     * @param open          anyone may join (else only the invited)
     * @param sharedHistory newcomers read the history from before they joined
     */
    public record Group(long id, String name, long ownerId, boolean open, boolean sharedHistory) {
    }

    /** A group as {@code GROUP LIST} shows it, with the asking user's role. */
    public record GroupSummary(String name, String owner, int members, Role role, boolean open) {
    }

    /** What a user is in a group. */
    public enum Role {
        OWNER, ADMIN, MEMBER, NONE;

        /** Owners and admins manage members: invite, kick, ban, rename, settings. */
        public boolean manages() {
            return this == OWNER || this == ADMIN;
        }

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A member and their role. */
    public record Member(User user, Role role, long joinedAt) {
    }

    /** What {@link #join} did. */
    public enum JoinOutcome {
        JOINED, ALREADY_MEMBER, BANNED, NOT_INVITED
    }

    /**
     * A pending invitation or a ban, as {@code GROUP INVITES} and {@code GROUP BANS} list them.
     *
     * @param group the group's name, without {@code #}
     * @param user  who is invited or banned
     * @param by    who invited or banned them
     * @param at    when, in milliseconds since the epoch
     */
    public record Pending(String group, String user, String by, long at) {
    }

    /** What {@link #invite} did. */
    public enum InviteOutcome {
        INVITED, ALREADY_MEMBER, ALREADY_INVITED, BANNED
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

    /** What {@code userId} is in {@code group}. */
    public Role role(Group group, long userId) throws SQLException {
        if (group.ownerId() == userId) {
            return Role.OWNER;
        }
        return db.read(c -> {
            try (PreparedStatement ps = StoreSql.bind(c, "SELECT admin FROM group_members WHERE group_id = ? AND user_id = ?",
                    group.id(), userId); ResultSet rs = ps.executeQuery()) {
                return !rs.next() ? Role.NONE : rs.getInt(1) != 0 ? Role.ADMIN : Role.MEMBER;
            }
        });
    }

    /** When {@code userId} joined {@code groupId} (milliseconds, UTC), or empty when not a member. */
    public Optional<Long> joinedAt(long groupId, long userId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = StoreSql.bind(c, "SELECT joined_at FROM group_members WHERE group_id = ? AND user_id = ?",
                    groupId, userId); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        });
    }

    /**
     * Adds {@code userId} to {@code group} if they may join: not banned, and the group is open or
     * they were invited (the invitation is then used up).
     */
    public JoinOutcome join(Group group, long userId) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.exists(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", group.id(), userId)) {
                return JoinOutcome.ALREADY_MEMBER;
            }
            if (StoreSql.exists(c, "SELECT 1 FROM group_bans WHERE group_id = ? AND user_id = ?", group.id(), userId)) {
                return JoinOutcome.BANNED;
            }
            boolean invited = StoreSql.update(c, "DELETE FROM group_invites WHERE group_id = ? AND user_id = ?",
                    group.id(), userId) > 0;
            if (!invited && !StoreSql.exists(c, "SELECT 1 FROM chat_groups WHERE id = ? AND public = 1", group.id())) {
                return JoinOutcome.NOT_INVITED;
            }
            StoreSql.update(c, "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)",
                    group.id(), userId, clock.millis());
            return JoinOutcome.JOINED;
        });
    }

    /** Invites {@code userId} to {@code groupId}: they may then join an invite-only group. */
    public InviteOutcome invite(long groupId, long userId, long by) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.exists(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId)) {
                return InviteOutcome.ALREADY_MEMBER;
            }
            if (StoreSql.exists(c, "SELECT 1 FROM group_bans WHERE group_id = ? AND user_id = ?", groupId, userId)) {
                return InviteOutcome.BANNED;
            }
            return StoreSql.update(c, "INSERT INTO group_invites (group_id, user_id, invited_by, created_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", groupId, userId, by, clock.millis()) > 0
                    ? InviteOutcome.INVITED : InviteOutcome.ALREADY_INVITED;
        });
    }

    /** Bans {@code userId} from {@code groupId}: removed if a member, invitation dropped, may not join; false if banned already. */
    public boolean ban(long groupId, long userId, long by) throws SQLException {
        return db.transaction(c -> {
            StoreSql.update(c, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId);
            StoreSql.update(c, "DELETE FROM group_invites WHERE group_id = ? AND user_id = ?", groupId, userId);
            return StoreSql.update(c, "INSERT INTO group_bans (group_id, user_id, banned_by, created_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", groupId, userId, by, clock.millis()) > 0;
        });
    }

    /**
     * Declines (drops) the invitation of {@code userId} to {@code groupId}.
     *
     * @return who had invited them; empty when there was no invitation
     */
    public Optional<Long> decline(long groupId, long userId) throws SQLException {
        return db.transaction(c -> {
            Optional<Long> by = Optional.empty();
            try (PreparedStatement ps = StoreSql.bind(c, "DELETE FROM group_invites WHERE group_id = ? AND user_id = ?"
                    + " RETURNING invited_by", groupId, userId);
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    by = Optional.of(rs.getLong(1));
                }
            }
            return by;
        });
    }

    /**
     * Withdraws the invitation of {@code userId} to {@code groupId} (by an owner or admin): they may
     * no longer join an invite-only group on it.
     *
     * @return false when there was no invitation
     */
    public boolean uninvite(long groupId, long userId) throws SQLException {
        return db.transaction(c -> StoreSql.update(c, "DELETE FROM group_invites WHERE group_id = ? AND user_id = ?",
                groupId, userId) > 0);
    }

    /** The pending invitations to {@code groupId}, oldest first. */
    public List<Pending> invitations(long groupId) throws SQLException {
        return pending("SELECT g.name, u.name, b.name, x.created_at FROM group_invites x JOIN chat_groups g ON g.id = x.group_id"
                + " JOIN users u ON u.id = x.user_id JOIN users b ON b.id = x.invited_by WHERE x.group_id = ?"
                + " ORDER BY x.created_at, u.name", groupId);
    }

    /** The pending invitations of {@code userId}, to any group, oldest first. */
    public List<Pending> invitationsOf(long userId) throws SQLException {
        return pending("SELECT g.name, u.name, b.name, x.created_at FROM group_invites x JOIN chat_groups g ON g.id = x.group_id"
                + " JOIN users u ON u.id = x.user_id JOIN users b ON b.id = x.invited_by WHERE x.user_id = ?"
                + " ORDER BY x.created_at, g.name", userId);
    }

    /** The users banned from {@code groupId}, oldest ban first. */
    public List<Pending> bans(long groupId) throws SQLException {
        return pending("SELECT g.name, u.name, b.name, x.created_at FROM group_bans x JOIN chat_groups g ON g.id = x.group_id"
                + " JOIN users u ON u.id = x.user_id JOIN users b ON b.id = x.banned_by WHERE x.group_id = ?"
                + " ORDER BY x.created_at, u.name", groupId);
    }

    private List<Pending> pending(String sql, long id) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = StoreSql.bind(c, sql, id); ResultSet rs = ps.executeQuery()) {
                List<Pending> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
                return out;
            }
        });
    }

    /** Lifts a ban; false when there was none. */
    public boolean unban(long groupId, long userId) throws SQLException {
        return db.transaction(c -> StoreSql.update(c, "DELETE FROM group_bans WHERE group_id = ? AND user_id = ?",
                groupId, userId) > 0);
    }

    /** Makes a member an admin or a plain member again; false when not a member. */
    public boolean setAdmin(long groupId, long userId, boolean admin) throws SQLException {
        return db.transaction(c -> StoreSql.update(c, "UPDATE group_members SET admin = ? WHERE group_id = ? AND user_id = ?",
                admin ? 1 : 0, groupId, userId) > 0);
    }

    /** Hands the group to member {@code newOwner}; the old owner stays as an admin. False when not a member. */
    public boolean transfer(Group group, long newOwner) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.update(c, "UPDATE group_members SET admin = 0 WHERE group_id = ? AND user_id = ?",
                    group.id(), newOwner) == 0) {
                return false;
            }
            StoreSql.update(c, "UPDATE chat_groups SET owner_id = ? WHERE id = ?", newOwner, group.id());
            StoreSql.update(c, "UPDATE group_members SET admin = 1 WHERE group_id = ? AND user_id = ?",
                    group.id(), group.ownerId());
            return true;
        });
    }

    /** Renames a group; false when the new name is taken. */
    public boolean rename(long groupId, String newName) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.exists(c, "SELECT 1 FROM chat_groups WHERE name = ?", newName)) {
                return false;
            }
            StoreSql.update(c, "UPDATE chat_groups SET name = ? WHERE id = ?", newName, groupId);
            return true;
        });
    }

    /** Deletes a group with its history, members, invitations and bans. */
    public void delete(long groupId) throws SQLException {
        db.transaction(c -> StoreSql.update(c, "DELETE FROM chat_groups WHERE id = ?", groupId));
    }

    /** Whether anyone may join, and whether newcomers read the earlier history. */
    public void settings(long groupId, boolean open, boolean sharedHistory) throws SQLException {
        db.transaction(c -> StoreSql.update(c, "UPDATE chat_groups SET public = ?, shared_history = ? WHERE id = ?",
                open ? 1 : 0, sharedHistory ? 1 : 0, groupId));
    }

    /** The members with their roles, by name. */
    public List<Member> membersWithRoles(Group group) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = StoreSql.bind(c, "SELECT u.id, u.name, m.admin, m.joined_at FROM group_members m"
                    + " JOIN users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.name", group.id());
                 ResultSet rs = ps.executeQuery()) {
                List<Member> out = new ArrayList<>();
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Role role = id == group.ownerId() ? Role.OWNER : rs.getInt(3) != 0 ? Role.ADMIN : Role.MEMBER;
                    out.add(new Member(new User(id, rs.getString(2)), role, rs.getLong(4)));
                }
                return out;
            }
        });
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
                    "SELECT user_id FROM group_members WHERE group_id = ? ORDER BY admin DESC, joined_at, user_id LIMIT 1")) {
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
                if (StoreSql.update(c, "UPDATE chat_groups SET owner_id = ? WHERE id = ? AND owner_id = ?",
                        successor.get(), groupId, userId) > 0) {
                    StoreSql.update(c, "UPDATE group_members SET admin = 0 WHERE group_id = ? AND user_id = ?",
                            groupId, successor.get());
                }
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
                    "SELECT g.name, o.name, (SELECT count(*) FROM group_members x WHERE x.group_id = g.id),"
                            + " CASE WHEN g.owner_id = m.user_id THEN 1 ELSE 0 END, m.admin, g.public"
                            + " FROM group_members m JOIN chat_groups g ON g.id = m.group_id JOIN users o ON o.id = g.owner_id"
                            + " WHERE m.user_id = ? ORDER BY g.name")) {
                ps.setLong(1, userId);
                List<GroupSummary> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Role role = rs.getInt(4) != 0 ? Role.OWNER : rs.getInt(5) != 0 ? Role.ADMIN : Role.MEMBER;
                        out.add(new GroupSummary(rs.getString(1), rs.getString(2), rs.getInt(3), role, rs.getInt(6) != 0));
                    }
                }
                return out;
            }
        });
    }

    private static Optional<Group> findGroup(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, owner_id, public, shared_history FROM chat_groups WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Group(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) != 0,
                        rs.getInt(5) != 0)) : Optional.empty();
            }
        }
    }
}
