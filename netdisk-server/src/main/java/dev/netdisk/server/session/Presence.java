package dev.netdisk.server.session;

import dev.netdisk.server.store.User;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is online: the logged-in sessions of each user, for pushing events to every connection of a
 * user, and the moments a user comes online (first session) and goes offline (last session ends).
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
    private volatile Listener listener;

    /** Sets the one listener (chat's presence notices). */
    public void listen(Listener newListener) {
        this.listener = newListener;
    }

    /** Records that {@code session} is logged in as {@code user}. */
    public void add(User user, Session session) {
        boolean[] first = new boolean[1];
        byUser.compute(user.id(), (id, sessions) -> {
            Set<Session> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            first[0] = set.isEmpty();
            set.add(session);
            return set;
        });
        Listener l = listener;
        if (first[0] && l != null) {
            l.online(user);
        }
    }

    /** Forgets {@code session} for {@code user}; a no-op when it was not there. */
    public void remove(User user, Session session) {
        boolean[] last = new boolean[1];
        byUser.computeIfPresent(user.id(), (id, sessions) -> {
            last[0] = sessions.remove(session) && sessions.isEmpty();
            return sessions.isEmpty() ? null : sessions;
        });
        Listener l = listener;
        if (last[0] && l != null) {
            l.offline(user);
        }
    }

    /** The sessions logged in as {@code userId}, a snapshot. */
    public List<Session> sessions(long userId) {
        Set<Session> sessions = byUser.get(userId);
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

    /** Whether {@code userId} has at least one logged-in session. */
    public boolean isOnline(long userId) {
        return byUser.containsKey(userId);
    }

    /** How many users have at least one session. */
    public int onlineUsers() {
        return byUser.size();
    }
}
