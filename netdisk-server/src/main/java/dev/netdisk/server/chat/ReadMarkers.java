package dev.netdisk.server.chat;

import static dev.netdisk.server.chat.MessageStore.CHAINED_SELECT;
import static dev.netdisk.server.chat.MessageStore.chained;
import static dev.netdisk.server.chat.MessageStore.queryLong;

import dev.netdisk.server.chat.MessageStore.Chained;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.StoreSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Read markers (schema {@code V008__read_markers.sql}): per user and conversation, the newest
 * message read, shared by all of that user's connections; and the unread counts they give.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class ReadMarkers {

    /** Unread messages counted per private conversation at most; more show as this many. */
    public static final int MAX_UNREAD_COUNTED = 1_000;

    /**
     * The larger of a marker row's stored and proposed {@code last_read} (the table's name filled
     * in): a marker never moves back. A CASE rather than SQLite's scalar max(a, b), which is
     * GREATEST in PostgreSQL, so one text runs on both.
     */
    private static final String LATER = "CASE WHEN excluded.last_read > %1$s.last_read THEN excluded.last_read"
            + " ELSE %1$s.last_read END";

    private final Database db;

    ReadMarkers(Database db) {
        this.db = db;
    }

    /**
     * A conversation with unread messages.
     *
     * @param conversation the other user's name, or {@code #group}
     * @param count        unread messages from others (private ones counted up to {@link #MAX_UNREAD_COUNTED})
     * @param newestId     the conversation's newest message
     * @param readId       the read marker: the newest message read, 0 for none
     */
    public record Unread(String conversation, long count, long newestId, long readId) {
    }

    /**
     * What {@link #markRead} did to a marker.
     *
     * @param before the newest message read before, 0 for none
     * @param after  the newest message read now (never less than {@code before})
     */
    public record Move(long before, long after) {
        /** Whether the marker moved: the user's other connections are then told. */
        public boolean moved() {
            return after > before;
        }
    }

    /** The conversations of {@code userId} with messages from others after the read marker, private ones first. */
    public List<Unread> unread(long userId) throws SQLException {
        return db.read(c -> {
            List<Unread> out = new ArrayList<>();
            // The user id four times over: PostgreSQL has no numbered parameters (SQLite's ?1).
            try (PreparedStatement convs = c.prepareStatement("SELECT u.id, u.name, cv.last_id, coalesce(pr.last_read, 0)"
                    + " FROM conversations cv JOIN users u ON u.id = (CASE WHEN cv.user_low = ? THEN cv.user_high ELSE cv.user_low END)"
                    + " LEFT JOIN private_read pr ON pr.user_id = ? AND pr.peer_id = u.id"
                    + " WHERE (cv.user_low = ? OR cv.user_high = ?) AND cv.user_low <> cv.user_high"
                    + " AND cv.last_id > coalesce(pr.last_read, 0) ORDER BY u.name");
                 PreparedStatement row = c.prepareStatement(CHAINED_SELECT)) {
                for (int i = 1; i <= 4; i++) {
                    convs.setLong(i, userId);
                }
                try (ResultSet rs = convs.executeQuery()) {
                    while (rs.next()) {
                        long peer = rs.getLong(1);
                        long newest = rs.getLong(3);
                        long read = rs.getLong(4);
                        long count = 0;
                        Long id = newest;
                        for (int walked = 0; id != null && id > read && walked < MAX_UNREAD_COUNTED; walked++) {
                            Chained m = chained(row, id);
                            if (m == null) {
                                break;
                            }
                            if (m.senderId() == peer) {
                                count++;
                            }
                            id = m.prevId();
                        }
                        if (count > 0) {
                            out.add(new Unread(rs.getString(2), count, newest, read));
                        }
                    }
                }
            }
            try (PreparedStatement groups = c.prepareStatement("SELECT g.name,"
                    + " (SELECT count(*) FROM messages m WHERE m.group_id = g.id AND m.id > coalesce(gr.last_read, 0)"
                    + "   AND m.sent_at >= gm.joined_at AND m.sender_id <> gm.user_id),"
                    + " (SELECT max(m.id) FROM messages m WHERE m.group_id = g.id), coalesce(gr.last_read, 0)"
                    + " FROM group_members gm JOIN chat_groups g ON g.id = gm.group_id"
                    + " LEFT JOIN group_read gr ON gr.user_id = gm.user_id AND gr.group_id = g.id"
                    + " WHERE gm.user_id = ? ORDER BY g.name")) {
                groups.setLong(1, userId);
                try (ResultSet rs = groups.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(2) > 0) {
                            out.add(new Unread("#" + rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                        }
                    }
                }
            }
            return out;
        });
    }

    /**
     * Moves the read marker of {@code userId} in a private conversation with {@code peerId} (or in
     * the group {@code groupId}; the other is 0) to {@code upTo}, or to the conversation's newest
     * message for {@link Long#MAX_VALUE}. A marker never moves back.
     *
     * @return the marker before and now
     */
    public Move markRead(long userId, long peerId, long groupId, long upTo) throws SQLException {
        return db.transaction(c -> {
            long target = upTo;
            if (target == Long.MAX_VALUE) {
                target = peerId != 0
                        ? queryLong(c, "SELECT coalesce(max(last_id), 0) FROM conversations"
                                + " WHERE user_low = ? AND user_high = ?", Math.min(userId, peerId), Math.max(userId, peerId))
                        : queryLong(c, "SELECT coalesce(max(id), 0) FROM messages WHERE group_id = ?", groupId);
            }
            if (peerId != 0) {
                long before = queryLong(c, "SELECT coalesce(max(last_read), 0) FROM private_read"
                        + " WHERE user_id = ? AND peer_id = ?", userId, peerId);
                StoreSql.update(c, "INSERT INTO private_read (user_id, peer_id, last_read) VALUES (?, ?, ?)"
                        + " ON CONFLICT (user_id, peer_id) DO UPDATE SET last_read = " + LATER.formatted("private_read"),
                        userId, peerId, target);
                return new Move(before, queryLong(c, "SELECT last_read FROM private_read WHERE user_id = ? AND peer_id = ?",
                        userId, peerId));
            }
            long before = queryLong(c, "SELECT coalesce(max(last_read), 0) FROM group_read WHERE user_id = ? AND group_id = ?",
                    userId, groupId);
            StoreSql.update(c, "INSERT INTO group_read (user_id, group_id, last_read) VALUES (?, ?, ?)"
                    + " ON CONFLICT (user_id, group_id) DO UPDATE SET last_read = " + LATER.formatted("group_read"),
                    userId, groupId, target);
            return new Move(before, queryLong(c, "SELECT last_read FROM group_read WHERE user_id = ? AND group_id = ?",
                    userId, groupId));
        });
    }
}
