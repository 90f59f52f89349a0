package dev.netdisk.server.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The event bus of servers sharing one PostgreSQL database: {@code NOTIFY netdisk_events,
 * 'payload'} after a commit ({@link ClusterEvent} gives the payload), and on each server one
 * dedicated pgjdbc connection in {@code LISTEN netdisk_events}, read by the thread
 * {@code netdisk-events} with {@link PGConnection#getNotifications(int)}.
 *
 * <p>Nothing is lost when the LISTEN connection breaks (PostgreSQL restarted, the backend
 * terminated, the network cut): the thread connects again with a growing pause (0.1 s to 5 s),
 * listens, reloads who listens on the other servers from the {@code presence} table, and then asks
 * {@link CatchUp} for the chat messages stored after the newest one it had seen (less a margin, for
 * ids that committed out of order), skipping those already delivered or sent from here. (Read-marker
 * moves sent meanwhile are not caught up: the markers are in the database, and a client counts its
 * unread messages again after each command and each move it hears of.)
 *
 * <p>Thread-safe. {@link #publish} sends on a second connection of its own, one at a time.
 */
public final class PgEventBus implements EventBus {

    private static final System.Logger LOG = System.getLogger(PgEventBus.class.getName());

    /** The channel every server listens on. */
    public static final String CHANNEL = "netdisk_events";

    /** The {@code application_name} of every server's LISTEN connection, before the server instance's id. */
    public static final String LISTEN_APPLICATION_NAME = "netdisk-events";

    /** How long one wait for notifications lasts before the thread checks whether it should stop. */
    private static final int POLL_MILLIS = 500;

    /**
     * Message ids remembered as sent from here or heard of (false), or delivered by a catch-up
     * (true): a catch-up skips all of them, a notification only the caught-up ones.
     */
    private static final int SEEN = 100_000;

    /**
     * How far below the newest id seen a catch-up starts: PostgreSQL hands out ids at insert and
     * transactions commit in any order, so a message can commit with an id below one already seen.
     */
    static final long CATCH_UP_MARGIN = 1_000;

    /** Opens a new connection to the database. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    /** The chat messages stored after an id, as events (their recipients), oldest first; at most a bounded number. */
    @FunctionalInterface
    public interface CatchUp {
        List<ClusterEvent> chatAfter(long messageId) throws SQLException;
    }

    private final Connector connector;
    private final String origin;
    private final CatchUp catchUp;
    private final Map<Long, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > SEEN;
        }
    };
    private long newestSeen;
    /** Who listens on the other servers: user id to the instances they listen on. */
    private final Map<Long, Set<String>> elsewhere = new ConcurrentHashMap<>();
    private final AtomicInteger connects = new AtomicInteger();
    /** Counted down by {@link #close}: ends the pause between reconnects at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object sending = new Object();
    private Connection notifyConnection;
    private volatile Connection listenConnection;
    private volatile Thread thread;
    private volatile boolean closed;

    /**
     * @param origin this server instance's id (its own notifications are skipped)
     */
    public PgEventBus(Connector connector, String origin, CatchUp catchUp) {
        this.connector = connector;
        this.origin = origin;
        this.catchUp = catchUp;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String origin() {
        return origin;
    }

    /**
     * Sends {@code event} with {@code pg_notify} (several payloads when its recipients do not fit in
     * one). A failure is logged, not thrown: the message is stored, and a recipient's client gets it
     * when it next listens ({@code LISTEN} with the last id it saw).
     */
    @Override
    public void publish(ClusterEvent event) {
        publishAll(List.of(event));
    }

    /**
     * Sends several events in one round trip ({@code pg_notify} over {@code unnest} of their
     * payloads): the chat writer's whole batch after its commit.
     */
    @Override
    public void publishAll(List<ClusterEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<String> payloads = new java.util.ArrayList<>(events.size());
        for (ClusterEvent e : events) {
            if (e.kind() == ClusterEvent.Kind.CHAT) {
                saw(e.messageId());
            }
            payloads.addAll(e.payloads());
        }
        synchronized (sending) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    if (notifyConnection == null || notifyConnection.isClosed()) {
                        notifyConnection = connector.open();
                        notifyConnection.setAutoCommit(true);
                    }
                    try (PreparedStatement ps = notifyConnection.prepareStatement(
                            "SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")) {
                        ps.setString(1, CHANNEL);
                        ps.setArray(2, notifyConnection.createArrayOf("text", payloads.toArray()));
                        ps.executeQuery().close();
                    }
                    return;
                } catch (SQLException e) {
                    closeQuietly(notifyConnection);
                    notifyConnection = null;
                    if (attempt == 1) {
                        LOG.log(System.Logger.Level.WARNING, "could not notify the other servers of "
                                + events.size() + " events", e);
                    }
                }
            }
        }
    }

    @Override
    public void start(Consumer<ClusterEvent> handler) {
        Thread t = new Thread(() -> run(handler), "netdisk-events");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public boolean onlineElsewhere(long userId) {
        return elsewhere.containsKey(userId);
    }

    /** How many times the LISTEN connection has been opened (1 after a start without trouble). */
    public int connects() {
        return connects.get();
    }

    /** The process id of the LISTEN connection's backend now, or 0 when there is none (for tests and logs). */
    public int listenBackendPid() {
        Connection c = listenConnection;
        try {
            return c == null ? 0 : c.unwrap(PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return 0;
        }
    }

    private void run(Consumer<ClusterEvent> handler) {
        long pauseMillis = 100;
        while (!closed) {
            Connection c = null;
            try {
                c = listen();
                pauseMillis = 100;
                if (catchUpLater) {
                    catchUpLater = false;
                    catchUp(handler);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification n : notes) {
                        deliver(n.getParameter(), handler);
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "LISTEN connection lost, connecting again in "
                            + pauseMillis + " ms: " + e.getMessage());
                }
            } finally {
                listenConnection = null;
                closeQuietly(c);
            }
            if (closed || closedWithin(pauseMillis)) {
                return;
            }
            pauseMillis = Math.min(5_000, pauseMillis * 2);
            catchUpLater = true;
        }
    }

    /** Set after the LISTEN connection broke: the next one catches up once it listens. */
    private volatile boolean catchUpLater;

    private Connection listen() throws SQLException {
        Connection c = connector.open();
        try {
            c.setAutoCommit(true);
            // Named in pg_stat_activity, for the operator (and the tests that cut it).
            c.setClientInfo("ApplicationName", LISTEN_APPLICATION_NAME + " " + origin);
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
            }
            listenConnection = c;
            connects.incrementAndGet();
            loadElsewhere(c);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** After LISTEN: who listens elsewhere now (changes from here on arrive as events). */
    private void loadElsewhere(Connection c) throws SQLException {
        Map<Long, Set<String>> now = new ConcurrentHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, server_id FROM presence WHERE server_id <> ?")) {
            ps.setString(1, origin);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    now.computeIfAbsent(rs.getLong(1), k -> ConcurrentHashMap.newKeySet()).add(rs.getString(2));
                }
            }
        }
        elsewhere.keySet().retainAll(now.keySet());
        elsewhere.putAll(now);
    }

    private void deliver(String payload, Consumer<ClusterEvent> handler) {
        ClusterEvent event;
        try {
            event = ClusterEvent.parse(payload);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a notification on " + CHANNEL + ": " + e.getMessage());
            return;
        }
        if (event.origin().equals(origin)) {
            return;
        }
        // Presence events are handed over only when they change whether the user listens on some
        // other server: their friends here hear of a user's first connection and last, not each one.
        boolean changed;
        switch (event.kind()) {
            case ONLINE -> {
                boolean[] first = new boolean[1];
                elsewhere.compute(event.userId(), (k, origins) -> {
                    Set<String> set = origins == null ? ConcurrentHashMap.newKeySet() : origins;
                    first[0] = set.isEmpty();
                    set.add(event.origin());
                    return set;
                });
                changed = first[0];
            }
            case OFFLINE -> {
                boolean[] last = new boolean[1];
                elsewhere.computeIfPresent(event.userId(), (k, origins) -> {
                    last[0] = origins.remove(event.origin()) && origins.isEmpty();
                    return origins.isEmpty() ? null : origins;
                });
                changed = last[0];
            }
            case CHAT -> changed = heard(event.messageId()); // false: a catch-up found it first
            default -> changed = true; // READ, REVOKE: nothing to deduplicate; each one is news
        }
        if (changed) {
            handOver(event, handler);
        }
    }

    /**
     * The messages stored while the LISTEN connection was down. Called on the bus thread once the
     * new connection listens, so a message is either notified from now on or already stored.
     */
    private void catchUp(Consumer<ClusterEvent> handler) {
        long from;
        synchronized (seen) {
            from = Math.max(0, newestSeen - CATCH_UP_MARGIN);
        }
        try {
            for (ClusterEvent e : catchUp.chatAfter(from)) {
                if (caughtUp(e.messageId())) {
                    handOver(e, handler);
                }
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "catching up on chat after a lost LISTEN connection failed", e);
        }
        // Revocations are not stored as messages are: the handler checks what runs against the database.
        handOver(ClusterEvent.resync(origin), handler);
    }

    private static void handOver(ClusterEvent event, Consumer<ClusterEvent> handler) {
        try {
            handler.accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "handling " + event + " failed", e);
        }
    }

    /** Records message {@code id} as sent from here: a catch-up skips it. */
    private void saw(long id) {
        synchronized (seen) {
            newestSeen = Math.max(newestSeen, id);
            seen.putIfAbsent(id, Boolean.FALSE);
        }
    }

    /**
     * A notification of message {@code id} arrived: false when a catch-up delivered the message
     * already. (A message with many recipients comes as several notifications: each is delivered.)
     */
    private boolean heard(long id) {
        synchronized (seen) {
            newestSeen = Math.max(newestSeen, id);
            return !Boolean.TRUE.equals(seen.putIfAbsent(id, Boolean.FALSE));
        }
    }

    /** A catch-up found message {@code id}: false when it was sent from here or heard of already. */
    private boolean caughtUp(long id) {
        synchronized (seen) {
            newestSeen = Math.max(newestSeen, id);
            return seen.putIfAbsent(id, Boolean.TRUE) == null;
        }
    }

    /** Pauses before the next reconnect: true when the bus was closed meanwhile. */
    private boolean closedWithin(long millis) {
        try {
            return closing.await(millis, TimeUnit.MILLISECONDS) || closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    /** Stops the thread and closes both connections. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        // Aborted, not closed: abort closes the socket under a read that waits for notifications
        // (JDBC 4.1), so the thread ends now instead of at its next poll.
        Connection listening = listenConnection;
        if (listening != null) {
            try {
                listening.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closing anyway
            }
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (sending) {
            closeQuietly(notifyConnection);
            notifyConnection = null;
        }
    }
}
