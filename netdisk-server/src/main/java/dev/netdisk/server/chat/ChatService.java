package dev.netdisk.server.chat;

import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers chat: pushes each message to every online connection of its recipients at once,
 * queues it for the offline ones, and tells friends when a user comes online or goes offline.
 * Event formats are in {@code docs/PROTOCOL.md} section 7.
 *
 * <p>Thread-safe. {@link #send}, {@link #pendingEvents} and {@link #loggingIn} block (JDBC); the
 * presence callbacks do not: they use the friend lists loaded at login and kept in step with
 * friendships, so notices go out in the order presence changed.
 */
public final class ChatService implements Presence.Listener {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * What became of a message.
     *
     * @param delivered how many connections got it at once
     * @param stored    how many offline recipients will get it at their next login
     */
    public record Delivery(ChatStore.Message message, int delivered, int stored) {
    }

    private final ChatStore store;
    private final Map<Long, Set<Long>> friendsOfOnline = new ConcurrentHashMap<>();
    private final Presence presence;
    private final Executor workers;

    public ChatService(ChatStore store, Presence presence, Executor workers) {
        this.store = store;
        this.presence = presence;
        this.workers = workers;
    }

    public ChatStore store() {
        return store;
    }

    /**
     * Stores a message from {@code sender} to the users {@code recipients} (one user for a
     * private message, the members of the group but the sender for a group message) and delivers it.
     *
     * @param recipientId the private recipient, or 0
     * @param groupId     the group, or 0
     * @param to          the target as events show it: a user name or {@code #group}
     */
    public Delivery send(User sender, long recipientId, long groupId, String to, String body, List<User> recipients)
            throws SQLException {
        List<Long> offline = new ArrayList<>();
        List<Session> online = new ArrayList<>();
        for (User r : recipients) {
            List<Session> sessions = presence.sessions(r.id());
            if (sessions.isEmpty()) {
                offline.add(r.id());
            } else {
                online.addAll(sessions);
            }
        }
        ChatStore.Message message = store.store(sender, recipientId, groupId, to, body, offline);
        String event = event(message);
        for (Session s : online) {
            s.push(event);
        }
        return new Delivery(message, online.size(), offline.size());
    }

    /** The event lines of the messages that waited for {@code user}, oldest first; they are then forgotten. */
    public List<String> pendingEvents(User user) throws SQLException {
        List<String> events = new ArrayList<>();
        for (ChatStore.Message m : store.takePending(user.id())) {
            events.add(event(m));
        }
        return events;
    }

    /** Pushes {@code event} to every connection of {@code userId}. */
    public void notify(long userId, String event) {
        for (Session s : presence.sessions(userId)) {
            s.push(event);
        }
    }

    /**
     * Loads the friends of a user who is logging in (blocking: on the LOGIN's worker), so that the
     * presence notices of their connections coming and going are sent at the moment of the change,
     * in order, without a database query (the last one ends on the selector thread).
     */
    public void loggingIn(User user) throws SQLException {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        for (User friend : store.friends(user.id())) {
            ids.add(friend.id());
        }
        friendsOfOnline.put(user.id(), ids);
    }

    /** Keeps the friend lists of online users in step with a new friendship. */
    public void befriended(long a, long b) {
        Optional.ofNullable(friendsOfOnline.get(a)).ifPresent(ids -> ids.add(b));
        Optional.ofNullable(friendsOfOnline.get(b)).ifPresent(ids -> ids.add(a));
    }

    /** Keeps the friend lists of online users in step with an ended friendship. */
    public void unfriended(long a, long b) {
        Optional.ofNullable(friendsOfOnline.get(a)).ifPresent(ids -> ids.remove(b));
        Optional.ofNullable(friendsOfOnline.get(b)).ifPresent(ids -> ids.remove(a));
    }

    @Override
    public void online(User user) {
        tellFriends(user, "* ONLINE " + user.name());
    }

    @Override
    public void offline(User user) {
        tellFriends(user, "* OFFLINE " + user.name());
        friendsOfOnline.remove(user.id());
    }

    private void tellFriends(User user, String event) {
        Set<Long> ids = friendsOfOnline.get(user.id());
        if (ids != null) {
            for (long friend : ids) {
                notify(friend, event);
            }
            return;
        }
        // Not loaded (a login that failed half-way): ask the database, off this thread.
        try {
            workers.execute(() -> {
                try {
                    for (User friend : store.friends(user.id())) {
                        notify(friend.id(), event);
                    }
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "presence notice for " + user.name() + " failed", e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: nobody is left to tell
        }
    }

    /** {@code * CHAT id timestamp from to body}. */
    public static String event(ChatStore.Message m) {
        return "* CHAT " + m.id() + ' ' + TIMESTAMP.format(Instant.ofEpochMilli(m.sentAt())) + ' ' + m.from()
                + ' ' + m.to() + ' ' + m.body();
    }

    /** A message as {@code HISTORY} lists it: {@code id timestamp from to body}. */
    public static String historyLine(ChatStore.Message m) {
        return m.id() + " " + TIMESTAMP.format(Instant.ofEpochMilli(m.sentAt())) + ' ' + m.from() + ' ' + m.to()
                + ' ' + m.body();
    }
}
