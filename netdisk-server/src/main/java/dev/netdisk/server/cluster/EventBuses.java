package dev.netdisk.server.cluster;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;

/**
 * Chooses the event bus for a metadata database: {@link PgEventBus} on PostgreSQL (several servers
 * may share it), {@link LocalEventBus} on anything else (SQLite: one server per data directory).
 */
public final class EventBuses {

    /** The recipients of the messages stored after an id ({@code MessageStore::recipientsAfter}). */
    @FunctionalInterface
    public interface Recipients {
        SortedMap<Long, List<Long>> after(long messageId) throws java.sql.SQLException;
    }

    private EventBuses() {
    }

    /** Whether {@code jdbcUrl} names a PostgreSQL database (and so the servers on it share a bus). */
    public static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /**
     * The bus for the database at {@code jdbcUrl}.
     *
     * @param connection properties of the LISTEN and NOTIFY connections (user, password), as the pool's
     * @param origin     this server instance's id
     * @param recipients what a PostgreSQL bus catches up on after its LISTEN connection was lost
     */
    public static EventBus forDatabase(String jdbcUrl, Properties connection, String origin, Recipients recipients) {
        if (!isPostgres(jdbcUrl)) {
            return new LocalEventBus(origin);
        }
        return new PgEventBus(() -> DriverManager.getConnection(jdbcUrl, connection), origin, after -> {
            List<ClusterEvent> out = new ArrayList<>();
            for (Map.Entry<Long, List<Long>> m : recipients.after(after).entrySet()) {
                out.add(ClusterEvent.chat("", m.getKey(), m.getValue().stream().mapToLong(Long::longValue).toArray()));
            }
            return out;
        });
    }
}
