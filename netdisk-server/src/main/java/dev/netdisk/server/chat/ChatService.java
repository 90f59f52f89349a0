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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers chat: pushes each message to every online connection of its recipients at once,
 * queues it for the offline ones, and tells friends when a user comes online or goes offline.
 * Event formats are in {@code docs/PROTOCOL.md} section 7.
 *
 * <p>Thread-safe. {@link #send} and {@link #pendingEvents} block (JDBC); the presence callbacks do
 * not (they hand their lookups to the worker pool).
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

    @Override
    public void online(User user) {
        tellFriends(user, "* ONLINE " + user.name());
    }

    @Override
    public void offline(User user) {
        tellFriends(user, "* OFFLINE " + user.name());
    }

    private void tellFriends(User user, String event) {
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
