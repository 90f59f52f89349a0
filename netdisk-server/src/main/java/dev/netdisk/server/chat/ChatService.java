package dev.netdisk.server.chat;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.cluster.ClusterEvent;
import dev.netdisk.server.cluster.ClusterPresence;
import dev.netdisk.server.cluster.EventBus;
import dev.netdisk.server.cluster.LocalEventBus;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Deferred;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers chat: pushes each message to every online connection of its recipients at once,
 * queues it for the offline ones, and tells friends when a user comes online or goes offline.
 * Event formats are in {@code docs/PROTOCOL.md} section 7.
 *
 * <p>Thread-safe. {@link #submit} does not block (the {@link ChatWriter} stores and delivers);
 * {@link #pendingEvents} and {@link #loggingIn} block (JDBC); the
 * presence callbacks do not: they use the friend lists loaded at login and kept in step with
 * friendships, so notices go out in the order presence changed.
 */
public final class ChatService implements Presence.Listener {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final FriendStore friendStore;
    private final MessageStore messageStore;
    /** The friends of each online user, by id (ids and names never change). */
    private final Map<Long, Map<Long, User>> friendsOfOnline = new ConcurrentHashMap<>();
    private final GroupCache groups;
    private final Presence presence;
    private final Executor workers;
    private final EventBus bus;
    /** Who listens on which server, in the database; null when this server is alone ({@link LocalEventBus}). */
    private final ClusterPresence clusterPresence;
    private volatile ChatWriter writer;

    /** A server alone on its database: everything is delivered in the process. */
    public ChatService(FriendStore friendStore, GroupStore groupStore, MessageStore messageStore, Presence presence,
                       Executor workers) {
        this(friendStore, groupStore, messageStore, presence, workers, new LocalEventBus("local"), null);
    }

    /**
     * @param bus             carries messages and presence to and from the other servers
     * @param clusterPresence records this server's listeners for the others; null with a {@link LocalEventBus}
     */
    public ChatService(FriendStore friendStore, GroupStore groupStore, MessageStore messageStore, Presence presence,
                       Executor workers, EventBus bus, ClusterPresence clusterPresence) {
        this.friendStore = friendStore;
        this.groups = new GroupCache(groupStore);
        this.messageStore = messageStore;
        this.presence = presence;
        this.workers = workers;
        this.bus = bus;
        this.clusterPresence = clusterPresence;
    }

    /**
     * Whether {@code userId} and {@code otherId} are friends: from the friend list kept for an
     * online user (no query), else from the database. Blocking in the second case.
     */
    public boolean areFriends(long userId, long otherId) throws SQLException {
        Map<Long, User> friends = friendsOfOnline.get(userId);
        return friends != null ? friends.containsKey(otherId) : friendStore.areFriends(userId, otherId);
    }

    /**
     * The friend of online user {@code userId} called {@code name}, from memory (never blocks):
     * empty when not known here (not a friend, or the friend list is not loaded), and the caller
     * then asks the database.
     */
    public Optional<User> knownFriend(long userId, String name) {
        Map<Long, User> friends = friendsOfOnline.get(userId);
        if (friends == null) {
            return Optional.empty();
        }
        for (User u : friends.values()) {
            if (u.name().equals(name)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /** The group called {@code name} (without {@code #}), cached like its members; empty when there is none. */
    public Optional<GroupStore.Group> group(String name) throws SQLException {
        return groups.group(name);
    }

    /** The cached group called {@code name} and its cached members, or empty (never blocks). */
    public Optional<List<User>> cachedMembers(String name) {
        return groups.cachedMembers(name);
    }

    /**
     * The members of a group: cached, so that {@code CHAT #group} needs no query; forgotten by
     * {@link #groupChanged} after every change of membership (join, leave, kick, the group deleted).
     */
    public List<User> members(long groupId) throws SQLException {
        return groups.members(groupId);
    }

    /**
     * Forgets the cached members of {@code groupId}, here and on the other servers (whose caches
     * would otherwise store a message for a member kicked here); call after its membership, roles
     * or name changed (committed), on a worker.
     */
    public void groupChanged(long groupId) {
        groupChangedHere(groupId);
        if (bus.shared()) {
            bus.publish(ClusterEvent.group(bus.origin(), groupId));
        }
    }

    /** {@link #groupChanged} for this server's caches only: another server changed the group. */
    void groupChangedHere(long groupId) {
        groups.forget(groupId);
    }

    /**
     * Starts the chat writer, which completes replies and pushes events through {@code selector}
     * (the selector thread's task queue).
     *
     * @param queueCapacity messages that may wait to be stored; past it {@link #submit} refuses
     * @param revocations   what to do with another server's revocations (on the bus's thread)
     */
    public void start(Executor selector, int queueCapacity, dev.netdisk.server.cluster.RevocationListener revocations) {
        writer = new ChatWriter(messageStore, presence, selector, queueCapacity, bus);
        writer.start();
        if (bus.shared()) {
            bus.start(new RemoteEvents(this, messageStore, friendStore, presence, workers, selector, revocations));
        }
    }

    /** Stores what is queued and stops the chat writer (up to about 10 seconds), then the bus. */
    public void stop() throws InterruptedException {
        ChatWriter w = writer;
        if (w != null) {
            w.stop();
        }
        bus.close();
        if (clusterPresence != null) {
            try {
                clusterPresence.leave();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove this server's presence rows"
                        + " (the others expire them when its heartbeat stops)", e);
            }
        }
    }

    /**
     * With other servers: refreshes this one's heartbeat and sweeps the dead ones (their users
     * go offline). Blocking: on a worker, every {@link ClusterPresence#HEARTBEAT}.
     */
    public void clusterHeartbeat() throws SQLException {
        if (clusterPresence != null) {
            clusterPresence.heartbeat();
            clusterPresence.sweepDead();
        }
    }

    /**
     * Queues a message from {@code sender} to {@code recipients} (one user for a private message,
     * the members of the group but the sender for a group message). Does not block: the chat
     * writer stores it with the others queued meanwhile, in one transaction, then pushes it to the
     * online recipients' connections and completes the returned outcome with
     * {@code 250 id=N delivered=N stored=N message sent to T} ({@code delivered}: connections
     * that got it at once; {@code stored}: offline recipients who get it at their next login).
     *
     * @param recipientId the private recipient, or 0
     * @param groupId     the group, or 0
     * @param to          the target as events show it: a user name or {@code #group}
     * @throws CommandException {@code 450 chat queue full} when too many messages wait to be stored
     */
    public Deferred submit(User sender, long recipientId, long groupId, String to, String body, List<User> recipients)
            throws CommandException {
        Deferred reply = new Deferred();
        ChatWriter w = writer;
        if (w == null || !w.submit(new ChatWriter.Submission(
                new MessageStore.Draft(sender, recipientId, groupId, to, body), recipients, reply))) {
            throw new CommandException(ReplyCode.FILE_BUSY, "chat queue full: too many messages waiting to be stored;"
                    + " send again shortly");
        }
        return reply;
    }

    /**
     * Makes {@code session} a listener (blocking: on the LISTEN's worker) and returns the event lines
     * of its backlog, oldest first: the messages kept while {@code user} had no listener (now
     * delivered), and with {@code afterId >= 0} every message to them after that id
     * ({@link MessageStore#backlog}). The session listens before the backlog is read, so a message
     * stored meanwhile is either pushed live or in the backlog; its events are held meanwhile and
     * written after the backlog ({@link Session#holdEvents}), so the recipient sees ids in order,
     * each once.
     */
    public List<String> startListening(User user, Session session, long afterId) throws SQLException {
        session.holdEvents();
        if (!session.isListening()) {
            loggingIn(user);
            presence.subscribe(user, session);
        }
        List<String> events = new ArrayList<>();
        for (MessageStore.Message m : messageStore.backlog(user.id(), afterId)) {
            events.add(event(m));
        }
        return events;
    }

    /**
     * Pushes {@code event} to every listening connection of {@code userId}: here, and through the
     * bus on the other servers the user listens on. On a worker (publishing may wait for the database).
     */
    public void notify(long userId, String event) {
        for (Session s : presence.listeners(userId)) {
            s.push(event);
        }
        // Always, not only when the user is known to listen elsewhere: notices are rare, and this
        // server may not have heard yet of a listener that began a moment ago on another.
        if (bus.shared()) {
            bus.publish(ClusterEvent.notice(bus.origin(), userId, event));
        }
    }

    /**
     * Tells the user's other listening connections that their read marker of {@code conversation}
     * moved to message {@code marker} ({@code * READ conversation marker}): those here at once, those
     * on other servers through the bus (only when the user listens on one). {@code from}, the
     * connection that moved it, is not told: its reply said so. Call after the move committed, on a
     * worker (publishing may wait for the database).
     *
     * @param conversation the other user's name, or {@code #group}
     */
    public void readMarkerMoved(User user, Session from, String conversation, long marker) {
        String line = readEvent(conversation, marker);
        for (Session s : presence.listeners(user.id())) {
            if (s != from) {
                s.push(line);
            }
        }
        if (bus.shared() && bus.onlineElsewhere(user.id())) {
            bus.publish(ClusterEvent.read(bus.origin(), user.id(), conversation, marker));
        }
    }

    /** {@code * READ conversation marker}: the user's read marker there is now at message {@code marker}. */
    static String readEvent(String conversation, long marker) {
        return "* READ " + conversation + " " + marker;
    }

    /**
     * Loads the friends of a user who starts listening (blocking: on the LISTEN's worker), so that the
     * presence notices of their connections coming and going are sent at the moment of the change,
     * in order, without a database query (the last one ends on the selector thread).
     */
    private void loggingIn(User user) throws SQLException {
        Map<Long, User> friends = new ConcurrentHashMap<>();
        for (User friend : friendStore.friends(user.id())) {
            friends.put(friend.id(), friend);
        }
        friendsOfOnline.put(user.id(), friends);
    }

    /** Keeps the friend lists of online users in step with a new friendship, here and on the other servers. */
    public void befriended(User a, User b) {
        Optional.ofNullable(friendsOfOnline.get(a.id())).ifPresent(friends -> friends.put(b.id(), b));
        Optional.ofNullable(friendsOfOnline.get(b.id())).ifPresent(friends -> friends.put(a.id(), a));
        publishFriends(a.id(), b.id());
    }

    /** Keeps the friend lists of online users in step with an ended friendship, here and on the other servers. */
    public void unfriended(long a, long b) {
        Optional.ofNullable(friendsOfOnline.get(a)).ifPresent(ids -> ids.remove(b));
        Optional.ofNullable(friendsOfOnline.get(b)).ifPresent(ids -> ids.remove(a));
        publishFriends(a, b);
    }

    private void publishFriends(long a, long b) {
        if (bus.shared()) {
            bus.publish(ClusterEvent.friends(bus.origin(), a, b));
        }
    }

    /**
     * Reloads the friend lists kept for {@code userIds} listening here, after another server
     * changed a friendship (blocking: a worker).
     */
    void friendsChangedElsewhere(long... userIds) throws SQLException {
        for (long id : userIds) {
            if (friendsOfOnline.containsKey(id)) {
                Map<Long, User> friends = new ConcurrentHashMap<>();
                for (User friend : friendStore.friends(id)) {
                    friends.put(friend.id(), friend);
                }
                friendsOfOnline.replace(id, friends);
            }
        }
    }

    /**
     * After the bus was cut off from the database: what other servers changed meanwhile was not
     * heard, so every cached group is forgotten and every friend list kept here is reloaded
     * (blocking: a worker).
     */
    void cachesMayBeStale() throws SQLException {
        groups.forgetAll();
        friendsChangedElsewhere(friendsOfOnline.keySet().stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public void online(User user) {
        // Listening on another server already: their friends were told then.
        if (!bus.onlineElsewhere(user.id())) {
            tellFriends(user, "* ONLINE " + user.name());
        }
        if (clusterPresence != null) {
            inCluster(() -> clusterPresence.joined(user.id(), user.name()));
        }
    }

    @Override
    public void offline(User user) {
        if (!bus.onlineElsewhere(user.id())) {
            tellFriends(user, "* OFFLINE " + user.name());
        }
        friendsOfOnline.remove(user.id());
        if (clusterPresence != null) {
            inCluster(() -> clusterPresence.left(user.id(), user.name()));
        }
    }

    private interface ClusterWork {
        void run() throws SQLException;
    }

    /** Presence rows and their events, on a worker: the presence callbacks may run on the selector thread. */
    private void inCluster(ClusterWork work) {
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "recording presence for the other servers failed", e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: its rows go with it (ClusterPresence.leave)
        }
    }

    private void tellFriends(User user, String event) {
        Map<Long, User> friends = friendsOfOnline.get(user.id());
        if (friends != null) {
            for (long friend : friends.keySet()) {
                notify(friend, event);
            }
            return;
        }
        // Not loaded (a login that failed half-way): ask the database, off this thread.
        try {
            workers.execute(() -> {
                try {
                    for (User friend : friendStore.friends(user.id())) {
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
    public static String event(MessageStore.Message m) {
        return "* CHAT " + m.id() + ' ' + TIMESTAMP.format(Instant.ofEpochMilli(m.sentAt())) + ' ' + m.from()
                + ' ' + m.to() + ' ' + m.body();
    }

    /** A message as {@code HISTORY} lists it: {@code id timestamp from to body}. */
    public static String historyLine(MessageStore.Message m) {
        return m.id() + " " + TIMESTAMP.format(Instant.ofEpochMilli(m.sentAt())) + ' ' + m.from() + ' ' + m.to()
                + ' ' + m.body();
    }
}
