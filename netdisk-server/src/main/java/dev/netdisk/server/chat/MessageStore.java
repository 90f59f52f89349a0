package dev.netdisk.server.chat;

import dev.netdisk.server.store.ChatHistoryLimit;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.store.StoreSql;
import dev.netdisk.server.store.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * Chat messages in SQLite (schemas {@code V003__chat.sql}, {@code V006__conversation_chain.sql}):
 * storing them in batches, the queue of those waiting for an offline user, and history.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class MessageStore {

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

    private final ChatHistoryLimit historyLimit;
    private final ReadMarkers readMarkers;

    public MessageStore(Database db, Clock clock) {
        this(db, clock, 0);
    }

    /** @param historyLimitBytes stored chat bytes one user may have sent ({@link ChatHistoryLimit}); 0: no limit */
    public MessageStore(Database db, Clock clock, long historyLimitBytes) {
        this.db = db;
        this.clock = clock;
        this.historyLimit = new ChatHistoryLimit(db, historyLimitBytes);
        this.readMarkers = new ReadMarkers(db);
    }

    /** Where each user has read to, per conversation, and what is unread. */
    public ReadMarkers readMarkers() {
        return readMarkers;
    }

    /** The drafts of a batch that would take their sender past the chat history limit, by index. */
    Set<Integer> overHistoryLimit(List<Draft> drafts) throws SQLException {
        return historyLimit.refused(drafts.stream().map(d -> d.sender().id()).toList(),
                drafts.stream().map(d -> d.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).toList());
    }

    /** Deletes what a user sent in one conversation ({@code HISTORY --clear}). */
    public SentMessages sentMessages() {
        return new SentMessages(db);
    }

    /** The chat history limit in bytes per user; 0: none. */
    public long historyLimit() {
        return historyLimit.limit();
    }

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
            if (db.dialect() == Dialect.POSTGRESQL) {
                // Message ids commit in the order they are given, whichever server gives them: a
                // reader that has seen id N has seen every smaller one, so a catch-up or a client's
                // resume "after N" misses none. SQLite's one writer gives that order already.
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, MESSAGE_ORDER_LOCK);
                    lock.execute();
                }
            }
            long now = clock.millis();
            List<Message> out = new ArrayList<>(drafts.size());
            // The newest message of each private conversation the batch touches: read once, written once.
            Map<Conversation, Long> newest = new HashMap<>();
            boolean pending = false;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO messages"
                    + " (sender_id, recipient_id, group_id, body, sent_at, prev_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
                 PreparedStatement last = c.prepareStatement(
                         "SELECT last_id FROM conversations WHERE user_low = ? AND user_high = ?");
                 PreparedStatement queue = c.prepareStatement(
                         "INSERT INTO pending_deliveries (user_id, message_id) VALUES (?, ?)")) {
                for (int i = 0; i < drafts.size(); i++) {
                    Draft d = drafts.get(i);
                    insert.setLong(1, d.sender().id());
                    Conversation conversation = null;
                    if (d.recipientId() != 0) {
                        insert.setLong(2, d.recipientId());
                        insert.setNull(3, java.sql.Types.INTEGER);
                        conversation = Conversation.of(d.sender().id(), d.recipientId());
                        Long prev = newest.containsKey(conversation) ? newest.get(conversation) : lastId(last, conversation);
                        if (prev != null) {
                            insert.setLong(6, prev);
                        } else {
                            insert.setNull(6, java.sql.Types.INTEGER);
                        }
                    } else {
                        insert.setNull(2, java.sql.Types.INTEGER);
                        insert.setLong(3, d.groupId());
                        insert.setNull(6, java.sql.Types.INTEGER);
                    }
                    insert.setString(4, d.body());
                    insert.setLong(5, now);
                    long id;
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                    if (conversation != null) {
                        newest.put(conversation, id);
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
            if (!newest.isEmpty()) {
                try (PreparedStatement upsert = c.prepareStatement("INSERT INTO conversations (user_low, user_high, last_id)"
                        + " VALUES (?, ?, ?) ON CONFLICT (user_low, user_high) DO UPDATE SET last_id = excluded.last_id")) {
                    for (Map.Entry<Conversation, Long> e : newest.entrySet()) {
                        upsert.setLong(1, e.getKey().low());
                        upsert.setLong(2, e.getKey().high());
                        upsert.setLong(3, e.getValue());
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
            }
            return out;
        });
    }

    /** A private conversation: its two users, the lower id first (V006__conversation_chain.sql). */
    private record Conversation(long low, long high) {
        static Conversation of(long a, long b) {
            return new Conversation(Math.min(a, b), Math.max(a, b));
        }
    }

    /** The newest message of {@code conversation}, or null before its first. */
    private static Long lastId(PreparedStatement last, Conversation conversation) throws SQLException {
        last.setLong(1, conversation.low());
        last.setLong(2, conversation.high());
        try (ResultSet rs = last.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** The most messages one {@code LISTEN} hands over; the rest follow at the next. */
    public static final int MAX_BACKLOG = 10_000;

    /** The PostgreSQL advisory lock that orders message ids across servers ({@link #storeAll}): "netdisk" + 1. */
    static final long MESSAGE_ORDER_LOCK = 0x6e65746469736b01L;

    /**
     * The messages for a session that starts listening, oldest first, at most {@link #MAX_BACKLOG}:
     * those kept for {@code userId} while no session of theirs listened (which are then delivered:
     * forgotten), and with {@code afterId >= 0} (a listener resuming after a broken connection) also
     * every message to them, or to a group of theirs from someone else (since they joined, unless
     * the group shares its history), with a greater id.
     */
    public List<Message> backlog(long userId, long afterId) throws SQLException {
        return db.transaction(c -> {
            java.util.TreeMap<Long, Message> byId = new java.util.TreeMap<>();
            for (Message m : messages(c, MESSAGE_SELECT + " JOIN pending_deliveries p ON p.message_id = m.id"
                    + " WHERE p.user_id = ? ORDER BY m.id LIMIT ?", userId, MAX_BACKLOG)) {
                byId.put(m.id(), m);
            }
            if (afterId >= 0) {
                // Group messages from before the user joined stay theirs only if the group shares its history.
                for (Message m : messages(c, MESSAGE_SELECT + " WHERE m.id > ? AND (m.recipient_id = ?"
                        + " OR (m.sender_id <> ? AND EXISTS (SELECT 1 FROM group_members gm JOIN chat_groups cg"
                        + " ON cg.id = gm.group_id WHERE gm.group_id = m.group_id AND gm.user_id = ?"
                        + " AND (cg.shared_history = 1 OR m.sent_at >= gm.joined_at))))"
                        + " ORDER BY m.id LIMIT ?", afterId, userId, userId, userId, MAX_BACKLOG)) {
                    byId.put(m.id(), m);
                }
            }
            List<Message> out = new ArrayList<>(byId.values());
            if (out.size() > MAX_BACKLOG) {
                out = new ArrayList<>(out.subList(0, MAX_BACKLOG));
            }
            if (!out.isEmpty()) {
                StoreSql.update(c, "DELETE FROM pending_deliveries WHERE user_id = ? AND message_id <= ?", userId,
                        out.get(out.size() - 1).id());
            }
            return out;
        });
    }

    /** The message {@code id}, for a server told of it by another ({@link dev.netdisk.server.cluster.EventBus}). */
    public Optional<Message> byId(long id) throws SQLException {
        List<Message> found = db.read(c -> messages(c, MESSAGE_SELECT + " WHERE m.id = ?", id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * The recipients of each message with an id above {@code afterId}, by id, oldest first, for at
     * most {@link #MAX_BACKLOG} messages: a private message's recipient, a group message's members
     * but its sender. What a server catches up on after its LISTEN connection was lost.
     */
    public java.util.SortedMap<Long, List<Long>> recipientsAfter(long afterId) throws SQLException {
        return db.read(c -> {
            java.util.SortedMap<Long, List<Long>> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = StoreSql.bind(c, "SELECT m.id, coalesce(m.recipient_id, gm.user_id)"
                    + " FROM (SELECT id, sender_id, recipient_id, group_id FROM messages WHERE id > ? ORDER BY id LIMIT ?) m"
                    + " LEFT JOIN group_members gm ON gm.group_id = m.group_id AND gm.user_id <> m.sender_id"
                    + " ORDER BY m.id", afterId, MAX_BACKLOG); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Long> to = out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>());
                    long user = rs.getLong(2);
                    if (!rs.wasNull()) {
                        to.add(user);
                    }
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
                StoreSql.update(c, "DELETE FROM pending_deliveries WHERE user_id = ?", userId);
            }
            return out;
        });
    }

    /**
     * Up to {@code limit} private messages between two users with ids below {@code beforeId}, oldest
     * first. Walks the conversation's chain back (prev_id) from {@code beforeId} when that is one of
     * its messages, as a client paging back passes, else from its newest message: one point lookup
     * per message listed, plus one per newer message skipped for a {@code beforeId} from elsewhere.
     */
    public List<Message> privateHistory(long a, long b, int limit, long beforeId) throws SQLException {
        Conversation conversation = Conversation.of(a, b);
        return db.read(c -> {
            try (PreparedStatement row = c.prepareStatement(CHAINED_SELECT)) {
                Long id = null;
                if (beforeId != Long.MAX_VALUE) {
                    Chained cursor = chained(row, beforeId);
                    if (cursor != null && cursor.in(conversation)) {
                        id = cursor.prevId();
                    }
                }
                if (id == null) {
                    try (PreparedStatement last = c.prepareStatement(
                            "SELECT last_id FROM conversations WHERE user_low = ? AND user_high = ?")) {
                        id = lastId(last, conversation);
                    }
                }
                List<Message> newestFirst = new ArrayList<>();
                while (id != null && newestFirst.size() < limit) {
                    Chained m = chained(row, id);
                    if (m == null) {
                        break;
                    }
                    if (m.message().id() < beforeId) {
                        newestFirst.add(m.message());
                    }
                    id = m.prevId();
                }
                Collections.reverse(newestFirst);
                return newestFirst;
            }
        });
    }

    /** A stored message with its place in its conversation's chain. */
    record Chained(Message message, Long prevId, long senderId, long recipientId) {
        boolean in(Conversation c) {
            return recipientId != 0 && Conversation.of(senderId, recipientId).equals(c);
        }
    }

    /** The message {@code id} as {@code row} ({@link #CHAINED_SELECT}) reads it, or null. */
    static Chained chained(PreparedStatement row, long id) throws SQLException {
        row.setLong(1, id);
        try (ResultSet rs = row.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long prev = rs.getLong(6);
            Long prevId = rs.wasNull() ? null : prev;
            return new Chained(new Message(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                    prevId, rs.getLong(7), rs.getLong(8));
        }
    }

    /**
     * Up to {@code limit} messages of a group with ids below {@code beforeId} sent at or after
     * {@code sinceMillis} (a newcomer's join, or 0 for the whole history), oldest first.
     */
    public List<Message> groupHistory(long groupId, int limit, long beforeId, long sinceMillis) throws SQLException {
        List<Message> newestFirst = db.read(c -> messages(c, MESSAGE_SELECT
                + " WHERE m.group_id = ? AND m.id < ? AND m.sent_at >= ? ORDER BY m.id DESC LIMIT ?",
                groupId, beforeId, sinceMillis, limit));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private static final String MESSAGE_COLUMNS = "SELECT m.id, m.sent_at, s.name, coalesce(r.name, '#' || g.name), m.body";
    private static final String MESSAGE_FROM = " FROM messages m JOIN users s ON s.id = m.sender_id"
            + " LEFT JOIN users r ON r.id = m.recipient_id LEFT JOIN chat_groups g ON g.id = m.group_id";
    private static final String MESSAGE_SELECT = MESSAGE_COLUMNS + MESSAGE_FROM;
    /** One message with its chain columns, for {@link #chained}. */
    static final String CHAINED_SELECT = MESSAGE_COLUMNS + ", m.prev_id, m.sender_id, coalesce(m.recipient_id, 0)"
            + MESSAGE_FROM + " WHERE m.id = ?";

    /** The first column of the first row of {@code sql}, which must return one. */
    static long queryLong(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = StoreSql.bind(c, sql, params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Message> messages(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = StoreSql.bind(c, sql, params)) {
            List<Message> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Message(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        }
    }
}
