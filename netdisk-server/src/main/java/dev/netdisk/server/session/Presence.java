package dev.netdisk.server.session;

import dev.netdisk.server.store.User;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is logged in and who is online. Every logged-in session is counted (for the per-user session
 * limit and the administrator's disconnect); a session that asked for events ({@code LISTEN}) is
 * also a <em>listener</em>. Only listeners make their user online, receive pushed events and
 * chat messages, and so decide whether a message is delivered or kept: a one-shot command that
 * logs in, lists a directory and leaves makes no presence notice and takes no backlog. The
 * listener is told when a user's first listening session begins and their last one ends.
 *
 * <p>Thread-safe. The listener is called on the thread that added or removed the session, which
 * may be the selector thread: it must not block.
 */
public final class Presence {

    /** Told when a user's first session begins and their last one ends. Must not block. */
    public interface Listener {
        void online(User user);

        void offline(User user);
    }

    private final Map<Long, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final Map<Long, Set<Session>> listening = new ConcurrentHashMap<>();
    private volatile Listener listener;

    /** Sets the one listener (chat's presence notices). */
    public void listen(Listener newListener) {
        this.listener = newListener;
    }

    /** Records that {@code session} is logged in as {@code user} (not yet listening: no notice). */
    public void add(User user, Session session) {
        addTo(byUser, user, session);
    }

    /** Forgets {@code session} for {@code user}, listening included; a no-op when it was not there. */
    public void remove(User user, Session session) {
        unsubscribe(user, session);
        removeFrom(byUser, user, session);
    }

    /**
     * Makes logged-in {@code session} a listener: from now on it gets events, and its user is online
     * (the presence notice goes out when it is their first listener). A no-op when it listens already.
     */
    public void subscribe(User user, Session session) {
        session.listening(true);
        Listener l = listener;
        if (addTo(listening, user, session) && l != null) {
            l.online(user);
        }
    }

    /** Stops {@code session} listening; the notice goes out when it was its user's last listener. */
    public void unsubscribe(User user, Session session) {
        session.listening(false);
        Listener l = listener;
        if (removeFrom(listening, user, session) && l != null) {
            l.offline(user);
        }
    }

    /** Adds and says whether the set was empty before (the user's first). */
    private static boolean addTo(Map<Long, Set<Session>> map, User user, Session session) {
        boolean[] first = new boolean[1];
        map.compute(user.id(), (id, sessions) -> {
            Set<Session> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            first[0] = set.isEmpty();
            set.add(session);
            return set;
        });
        return first[0];
    }

    /** Removes and says whether that emptied the set (the user's last). */
    private static boolean removeFrom(Map<Long, Set<Session>> map, User user, Session session) {
        boolean[] last = new boolean[1];
        map.computeIfPresent(user.id(), (id, sessions) -> {
            last[0] = sessions.remove(session) && sessions.isEmpty();
            return sessions.isEmpty() ? null : sessions;
        });
        return last[0];
    }

    /** The sessions logged in as {@code userId}, listening or not, a snapshot. */
    public List<Session> sessions(long userId) {
        Set<Session> sessions = byUser.get(userId);
        return sessions == null ? List.of() : List.copyOf(sessions);
    }

    /** The listening sessions of {@code userId}, which get its events, a snapshot. */
    public List<Session> listeners(long userId) {
        Set<Session> sessions = listening.get(userId);
        return sessions == null ? List.of() : List.copyOf(sessions);
    }

    /**
     * The sessions logged in as the user named {@code name} (canonical, lower case), a snapshot;
     * for the administrator, who knows a name and not an id (a disabled user has none in SQL).
     */
    public List<Session> sessionsNamed(String name) {
        for (Set<Session> sessions : byUser.values()) {
            for (Session s : sessions) {
                if (s.user().map(u -> u.name().equals(name)).orElse(false)) {
                    return List.copyOf(sessions);
                }
            }
        }
        return List.of();
    }

    /** Every logged-in session, a snapshot. */
    public List<Session> allSessions() {
        List<Session> all = new java.util.ArrayList<>();
        byUser.values().forEach(all::addAll);
        return all;
    }

    /** Whether {@code userId} is online: has at least one listening session. */
    public boolean isOnline(long userId) {
        return listening.containsKey(userId);
    }

    /** How many users have at least one session. */
    public int onlineUsers() {
        return byUser.size();
    }
}
