package dev.netdisk.server.session;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is online: the logged-in sessions of each user, for pushing events to every connection of a
 * user.
 *
 * <p>Thread-safe.
 */
public final class Presence {

    private final Map<Long, Set<Session>> byUser = new ConcurrentHashMap<>();

    /** Records that {@code session} is logged in as {@code userId}. */
    public void add(long userId, Session session) {
        byUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(session);
    }

    /** Forgets {@code session} for {@code userId}; a no-op when it was not there. */
    public void remove(long userId, Session session) {
        byUser.computeIfPresent(userId, (id, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    /** The sessions logged in as {@code userId}, a snapshot. */
    public List<Session> sessions(long userId) {
        Set<Session> sessions = byUser.get(userId);
        return sessions == null ? List.of() : List.copyOf(sessions);
    }

    /** How many users have at least one session. */
    public int onlineUsers() {
        return byUser.size();
    }
}
