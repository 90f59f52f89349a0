package dev.netdisk.server.cluster;

import java.util.function.Consumer;

/**
 * Carries events between the servers on one database: a message stored here for a user listening
 * on another server, a user coming online or going offline. The database stays the source of
 * truth; an event only says where to look. With one server there is nobody to tell
 * ({@link LocalEventBus}): chat is delivered in the process as it always was. With several on
 * PostgreSQL, {@link PgEventBus} carries them with {@code LISTEN}/{@code NOTIFY}.
 *
 * <p>Thread-safe. {@link #publish} may be called from any thread but the selector's (it may wait
 * for the database briefly); the handler runs on the bus's own thread and must hand blocking
 * work and pushes to the right threads itself.
 */
public interface EventBus extends AutoCloseable {

    /** Whether other servers may be listening; false: {@link #publish} does nothing, so callers may skip it. */
    boolean shared();

    /** This server instance's id: the origin of what it publishes. */
    String origin();

    /** Tells the other servers, after the change it describes is committed. */
    void publish(ClusterEvent event);

    /** Tells the other servers of several events, in order (one round trip where the bus can). */
    default void publishAll(java.util.List<ClusterEvent> events) {
        events.forEach(this::publish);
    }

    /**
     * Starts delivering the other servers' events to {@code handler} (once). Events missed while the
     * bus was cut off from the database are delivered when it is back (chat messages by id).
     */
    void start(Consumer<ClusterEvent> handler);

    /** Whether user {@code userId} listens on another server now (as far as this one has heard). */
    boolean onlineElsewhere(long userId);

    @Override
    void close();
}
