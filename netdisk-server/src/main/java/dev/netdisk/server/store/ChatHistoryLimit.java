package dev.netdisk.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-user limit on stored chat history (issue 22): the UTF-8 bytes of the messages a user sent
 * that are stored ({@code users.chat_bytes}, kept by the triggers of migration V010) may not pass
 * {@code limit}. Without it a user could make the server keep about 9.9 GB a day at the allowed
 * message rate. Setting {@code chat-history-mib-per-user} (docs/OPERATIONS.md); {@code QUOTA} shows it.
 *
 * <p>Thread-safe; blocking (JDBC): the chat writer's thread.
 */
public final class ChatHistoryLimit {

    private final Database db;
    private final long limit;

    /** @param limit bytes per user; 0: no limit */
    public ChatHistoryLimit(Database db, long limit) {
        this.db = db;
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /**
     * Which messages of a batch to refuse, in order: message {@code i}, of {@code bytes.get(i)}
     * bytes from sender {@code senders.get(i)}, is refused when it would take its sender past the
     * limit, counting the ones of the batch before it that are not refused.
     *
     * @return the indexes refused; empty when all fit (or there is no limit)
     */
    public Set<Integer> refused(List<Long> senders, List<Integer> bytes) throws SQLException {
        if (limit == 0 || senders.isEmpty()) {
            return Set.of();
        }
        Map<Long, Long> stored = db.read(c -> {
            Map<Long, Long> out = new HashMap<>();
            PreparedStatement ps = Database.prepared(c, "SELECT chat_bytes FROM users WHERE id = ?");
            for (long sender : new HashSet<>(senders)) {
                ps.setLong(1, sender);
                try (ResultSet rs = ps.executeQuery()) {
                    out.put(sender, rs.next() ? rs.getLong(1) : 0);
                }
            }
            return out;
        });
        Set<Integer> refused = new HashSet<>();
        for (int i = 0; i < senders.size(); i++) {
            long after = stored.get(senders.get(i)) + bytes.get(i);
            if (after > limit) {
                refused.add(i);
            } else {
                stored.put(senders.get(i), after);
            }
        }
        return refused;
    }
}
