package dev.netdisk.cli.session;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the latest messages a session has shown, so that a message that comes twice (pushed
 * live while the backlog of a resumed {@code LISTEN} also carries it) is shown once, and the newest
 * id, to resume after. Remembers the last {@value #KEEP} ids. Thread-safe.
 */
final class SeenMessages {

    static final int KEEP = 4096;

    private final Set<Long> ids = new HashSet<>();
    private final ArrayDeque<Long> order = new ArrayDeque<>();
    private long newest;

    /** Records {@code id}; false when it was seen already (or is older than everything remembered). */
    synchronized boolean add(long id) {
        if (ids.contains(id) || (order.size() == KEEP && id < order.peekFirst())) {
            return false;
        }
        ids.add(id);
        order.addLast(id);
        if (order.size() > KEEP) {
            ids.remove(order.removeFirst());
        }
        newest = Math.max(newest, id);
        return true;
    }

    /** The newest id seen, 0 for none. */
    synchronized long newest() {
        return newest;
    }
}
