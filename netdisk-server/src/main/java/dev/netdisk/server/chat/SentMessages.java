package dev.netdisk.server.chat;

import dev.netdisk.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the messages a user sent in one conversation ({@code HISTORY user|#group --clear},
 * docs/PROTOCOL.md section 7): "delete for everyone", as messaging apps offer it. A message is
 * stored once for both sides and counts against its sender's chat history limit only
 * ({@code users.chat_bytes}, kept by the triggers of V010), so deleting what you sent is what frees
 * your part of it; what the others sent is theirs and stays.
 *
 * <p>A private conversation is a chain (V006: each message points to the previous one, {@code
 * conversations.last_id} to the newest): the messages that stay are linked past the deleted ones,
 * and the newest that stays becomes the conversation's last, in the same transaction. Read markers
 * are ids and need no change. Waiting deliveries of deleted messages go with them.
 *
 * <p>Thread-safe; blocking (JDBC): workers only.
 */
public final class SentMessages {

    /**
     * What a clear deleted.
     *
     * @param messages how many messages
     * @param bytes    their UTF-8 bytes: what the sender's stored chat history shrank by
     */
    public record Cleared(int messages, long bytes) {
    }

    private final Database db;

    public SentMessages(Database db) {
        this.db = db;
    }

    /**
     * Deletes the messages {@code senderId} sent to {@code peerId} (the conversation with oneself
     * when they are equal). Walks the conversation's chain: one point lookup per message in it.
     */
    public Cleared clearPrivate(long senderId, long peerId) throws SQLException {
        long low = Math.min(senderId, peerId);
        long high = Math.max(senderId, peerId);
        return db.transaction(c -> {
            // The chain, newest first: id, sender, prev.
            List<long[]> chain = new ArrayList<>();
            Long id = queryLong(c, "SELECT last_id FROM conversations WHERE user_low = ? AND user_high = ?", low, high);
            try (PreparedStatement row = c.prepareStatement("SELECT sender_id, prev_id FROM messages WHERE id = ?")) {
                while (id != null) {
                    row.setLong(1, id);
                    try (ResultSet rs = row.executeQuery()) {
                        if (!rs.next()) {
                            break;
                        }
                        long sender = rs.getLong(1);
                        long prev = rs.getLong(2);
                        Long prevId = rs.wasNull() ? null : prev;
                        chain.add(new long[] {id, sender, prevId == null ? 0 : prevId});
                        id = prevId;
                    }
                }
            }
            List<Long> gone = new ArrayList<>();
            long bytes = bytesOf(c, senderId, chain);
            // Oldest first: each message that stays points to the newest one before it that stays.
            Long keptBefore = null;
            try (PreparedStatement relink = c.prepareStatement("UPDATE messages SET prev_id = ? WHERE id = ?")) {
                for (int i = chain.size() - 1; i >= 0; i--) {
                    long[] m = chain.get(i);
                    if (m[1] == senderId) {
                        gone.add(m[0]);
                        continue;
                    }
                    long oldPrev = m[2];
                    long newPrev = keptBefore == null ? 0 : keptBefore;
                    if (oldPrev != newPrev) {
                        if (keptBefore == null) {
                            relink.setNull(1, java.sql.Types.INTEGER);
                        } else {
                            relink.setLong(1, keptBefore);
                        }
                        relink.setLong(2, m[0]);
                        relink.addBatch();
                    }
                    keptBefore = m[0];
                }
                relink.executeBatch();
            }
            delete(c, gone);
            if (keptBefore == null) {
                update(c, "DELETE FROM conversations WHERE user_low = ? AND user_high = ?", low, high);
            } else {
                update(c, "UPDATE conversations SET last_id = ? WHERE user_low = ? AND user_high = ?", keptBefore, low, high);
            }
            return new Cleared(gone.size(), bytes);
        });
    }

    /** Deletes the messages {@code senderId} sent to group {@code groupId}. */
    public Cleared clearGroup(long senderId, long groupId) throws SQLException {
        return db.transaction(c -> {
            List<Long> gone = new ArrayList<>();
            long bytes = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, octet_length(body) FROM messages"
                    + " WHERE group_id = ? AND sender_id = ?")) {
                ps.setLong(1, groupId);
                ps.setLong(2, senderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        gone.add(rs.getLong(1));
                        bytes += rs.getLong(2);
                    }
                }
            }
            delete(c, gone);
            return new Cleared(gone.size(), bytes);
        });
    }

    /** The UTF-8 bytes of the messages of {@code chain} that {@code senderId} sent. */
    private static long bytesOf(Connection c, long senderId, List<long[]> chain) throws SQLException {
        long bytes = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT octet_length(body) FROM messages WHERE id = ?")) {
            for (long[] m : chain) {
                if (m[1] != senderId) {
                    continue;
                }
                ps.setLong(1, m[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    bytes += rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
        return bytes;
    }

    /** Deletes messages by id, their waiting deliveries first (the triggers of V010 lower chat_bytes). */
    private static void delete(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement pending = c.prepareStatement("DELETE FROM pending_deliveries WHERE message_id = ?");
             PreparedStatement message = c.prepareStatement("DELETE FROM messages WHERE id = ?")) {
            for (long id : ids) {
                pending.setLong(1, id);
                pending.addBatch();
                message.setLong(1, id);
                message.addBatch();
            }
            pending.executeBatch();
            message.executeBatch();
        }
    }

    private static Long queryLong(Connection c, String sql, long a, long b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void update(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setLong(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
