package dev.netdisk.server.chat;

import dev.netdisk.server.store.User;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups by name and their members, cached so that {@code CHAT #group} needs no query. Every change
 * of a membership, a role or a name (here, or heard from another server) forgets what it touched;
 * a list loaded from the database while a change commits is not kept (a generation count, bumped
 * under the lock by every forgetting, tells).
 *
 * <p>Thread-safe: loads block (JDBC, on a worker); {@link #cachedMembers} never blocks.
 */
final class GroupCache {

    private final GroupStore store;
    private final Map<String, GroupStore.Group> byName = new ConcurrentHashMap<>();
    private final Map<Long, List<User>> membersOf = new ConcurrentHashMap<>();
    /** Bumped (under the {@code membersOf} lock) by every forgetting. */
    private volatile long generation;

    GroupCache(GroupStore store) {
        this.store = store;
    }

    /** The group called {@code name} (without {@code #}); empty when there is none. */
    Optional<GroupStore.Group> group(String name) throws SQLException {
        GroupStore.Group cached = byName.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = generation;
        Optional<GroupStore.Group> loaded = store.findGroup(name);
        loaded.ifPresent(g -> {
            synchronized (membersOf) {
                if (before == generation) {
                    byName.put(name, g);
                }
            }
        });
        return loaded;
    }

    /** The cached group called {@code name} and its cached members, or empty (never blocks). */
    Optional<List<User>> cachedMembers(String name) {
        GroupStore.Group g = byName.get(name);
        return g == null ? Optional.empty() : Optional.ofNullable(membersOf.get(g.id()));
    }

    /** The members of group {@code groupId}. */
    List<User> members(long groupId) throws SQLException {
        List<User> cached = membersOf.get(groupId);
        if (cached != null) {
            return cached;
        }
        long before = generation;
        List<User> loaded = List.copyOf(store.members(groupId));
        synchronized (membersOf) {
            if (before == generation) {
                membersOf.put(groupId, loaded);
            }
        }
        return loaded;
    }

    /** Forgets the members of {@code groupId}, and every name: an owner changes or a group is deleted by a leave. */
    void forget(long groupId) {
        synchronized (membersOf) {
            generation++;
            membersOf.remove(groupId);
            byName.clear();  // names are few, and reload
        }
    }

    /** Forgets everything: what other servers changed may not have been heard. */
    void forgetAll() {
        synchronized (membersOf) {
            generation++;
            membersOf.clear();
            byName.clear();
        }
    }
}
