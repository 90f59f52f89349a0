package dev.netdisk.cli.session;

import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.Listening;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Session}'s events, for a session that wants them (the shell, {@code listen}): it sends
 * {@code LISTEN} after every login, keeps the connection alive with a heartbeat ({@code NOOP} as
 * often as the server asks, PROTOCOL.md section 7), and when the connection breaks reconnects in
 * the background with growing pauses (0.5 s doubling to 30 s) and listens again after the newest
 * message id it saw, so nothing is lost; a message seen twice (live and in the resumed backlog) is
 * shown once.
 *
 * <p>Threading: the heartbeat and reconnects run on one background thread, which ends when idle.
 * Everything that touches the connection holds the session's lock; {@link #events} is called by the
 * connection's reader thread and never takes it.
 */
final class Subscription {

    private static final long FIRST_RECONNECT_PAUSE_MILLIS = 500;
    private static final long MAX_RECONNECT_PAUSE_MILLIS = 30_000;

    private final Session session;
    /** What every connection of the session reports to: drops repeated messages, notes the newest id, reconnects. */
    private final EventListener events = new Events();
    private final SeenMessages seen = new SeenMessages();
    private final ScheduledThreadPoolExecutor background = background();
    /** Marks shown messages read, batched, and keeps the unread total. */
    private final ReadMarks readMarks;
    private volatile EventListener listener;
    private volatile boolean wanted;
    private volatile boolean reconnect = true;
    private volatile Consumer<String> notices;
    /** Bumped by each close of the session: a reconnect scheduled before it gives up. */
    private volatile int epoch;
    private volatile boolean closing;
    /** The logged-in user, whose own messages are in the conversation with their recipient. */
    private volatile String me;
    /** Guarded by the session's lock. */
    private ScheduledFuture<?> heartbeat;
    /** Guarded by the session's lock. */
    private boolean reconnecting;

    Subscription(Session session, Consumer<String> notices) {
        this.session = session;
        this.notices = notices;
        this.readMarks = new ReadMarks(session, background);
    }

    ReadMarks readMarks() {
        return readMarks;
    }

    EventListener events() {
        return events;
    }

    void setListener(EventListener newListener) {
        listener = newListener;
    }

    void setNotices(Consumer<String> newNotices) {
        notices = newNotices;
    }

    void setWanted(boolean on) {
        wanted = on;
    }

    void setReconnect(boolean on) {
        reconnect = on;
    }

    long lastMessageId() {
        return seen.newest();
    }

    /** Session lock held: {@code c} just logged in; a listening session listens on it. */
    void loggedIn(NetdiskClient c) throws IOException {
        me = c.user();
        if (wanted) {
            listen(c);
        }
    }

    /** Session lock held: sends LISTEN (resuming after the newest id seen) and (re)starts the heartbeat at the server's pace. */
    void listen(NetdiskClient c) throws IOException {
        long after = seen.newest();
        Listening l = c.social().listen(after > 0 ? after : null);
        long every = Math.max(1, l.heartbeatSeconds());
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        heartbeat = background.scheduleWithFixedDelay(() -> beat(c), every, every, TimeUnit.SECONDS);
    }

    /** Session lock held: the session closes ({@code true}) or has closed ({@code false}) its connection on purpose. */
    void closing(boolean on) {
        closing = on;
        if (on) {
            epoch++;
            if (heartbeat != null) {
                heartbeat.cancel(false);
                heartbeat = null;
            }
            reconnecting = false;
        }
    }

    private void beat(NetdiskClient c) {
        try {
            if (c.isConnected()) {
                c.noop();
            }
        } catch (IOException | RuntimeException e) {
            // a broken connection reports itself through closed(), which reconnects
        }
    }

    private static ScheduledThreadPoolExecutor background() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "netdisk-session");
            t.setDaemon(true);
            return t;
        });
        pool.setKeepAliveTime(5, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /** The connection broke while the session wanted events: try again with growing pauses. */
    private void connectionLost() {
        synchronized (session) {
            if (closing || !wanted || reconnecting || !session.connectionBroken()) {
                return;  // closed on purpose, or already replaced by a new connection
            }
            reconnecting = true;
            notices.accept("netdisk: the connection to " + where() + " was lost; reconnecting");
            scheduleReconnect(FIRST_RECONNECT_PAUSE_MILLIS, epoch);
        }
    }

    private String where() {
        return session.settings().host() + ":" + session.settings().port();
    }

    private void scheduleReconnect(long delayMillis, int since) {
        background.schedule(() -> reconnect(delayMillis, since), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void reconnect(long lastDelayMillis, int since) {
        synchronized (session) {
            if (closing || !wanted || since != epoch) {
                reconnecting = false;
                return;
            }
            try {
                if (!session.connectedAndLoggedIn()) {
                    session.loggedIn();  // listens again after the newest id seen
                }
                reconnecting = false;
                notices.accept("netdisk: reconnected to " + where());
                readMarks.resume();
                return;
            } catch (NotLoggedInException | ReplyException e) {
                if (!(e instanceof ReplyException r) || r.code() == 530) {
                    reconnecting = false;
                    notices.accept("netdisk: cannot log in again: " + e.getMessage());
                    EventListener l = listener;
                    if (l != null) {
                        l.closed();
                    }
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // the server is not back yet
            }
        }
        scheduleReconnect(Math.min(lastDelayMillis * 2, MAX_RECONNECT_PAUSE_MILLIS), since);
    }

    /** Forwards events to the current listener, once per message id, and notices a broken connection. */
    private final class Events implements EventListener {
        @Override
        public void chat(ChatMessage m) {
            if (!seen.add(m.id())) {
                return;
            }
            EventListener l = listener;
            if (l != null) {
                l.chat(m);
                // Shown, so read: the marker moves (batched), as in history.
                readMarks.seen(m, me);
            }
        }

        @Override
        public void presence(String user, boolean online) {
            EventListener l = listener;
            if (l != null) {
                l.presence(user, online);
            }
        }

        @Override
        public void read(String conversation, long messageId) {
            // Read on another connection: nothing to send for it here, and the unread total changed.
            readMarks.readElsewhere(conversation, messageId);
            EventListener l = listener;
            if (l != null) {
                l.read(conversation, messageId);
            }
        }

        @Override
        public void other(String event) {
            EventListener l = listener;
            if (l != null) {
                l.other(event);
            }
        }

        @Override
        public void closed() {
            if (wanted && reconnect && !closing) {
                // Not on this (the reader) thread: reconnecting takes the session's lock.
                background.execute(Subscription.this::connectionLost);
                return;
            }
            EventListener l = listener;
            if (l != null) {
                l.closed();
            }
        }
    }
}
