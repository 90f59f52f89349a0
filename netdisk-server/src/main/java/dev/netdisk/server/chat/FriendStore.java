package dev.netdisk.server.chat;

import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.StoreSql;
import dev.netdisk.server.store.User;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Friendships and friend requests in SQLite (schema {@code V003__chat.sql}). A friendship is
 * stored both ways; a request one way, until it is accepted, declined or crossed by the other's.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class FriendStore {

    /** What {@link #requestFriend} did. */
    public enum RequestResult { SENT, NOW_FRIENDS, ALREADY_FRIENDS, ALREADY_REQUESTED }

    private final Database db;
    private final Clock clock;

    public FriendStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Whether {@code a} and {@code b} are friends. */
    public boolean areFriends(long a, long b) throws SQLException {
        return db.read(c -> StoreSql.areFriends(c, a, b));
    }

    /**
     * Asks {@code to} to be friends with {@code from}; when {@code to} had already asked
     * {@code from}, they become friends at once.
     */
    public RequestResult requestFriend(long from, long to) throws SQLException {
        return db.transaction(c -> {
            if (StoreSql.areFriends(c, from, to)) {
                return RequestResult.ALREADY_FRIENDS;
            }
            if (StoreSql.exists(c, "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", to, from)) {
                befriend(c, from, to);
                return RequestResult.NOW_FRIENDS;
            }
            if (StoreSql.exists(c, "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", from, to)) {
                return RequestResult.ALREADY_REQUESTED;
            }
            StoreSql.update(c, "INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)", from, to, clock.millis());
            return RequestResult.SENT;
        });
    }

    /** Accepts the request {@code from} sent {@code me}; false when there is none. */
    public boolean accept(long me, long from) throws SQLException {
        return db.transaction(c -> {
            if (!StoreSql.exists(c, "SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?", from, me)) {
                return false;
            }
            befriend(c, me, from);
            return true;
        });
    }

    /** Declines the request {@code from} sent {@code me}; false when there is none. */
    public boolean decline(long me, long from) throws SQLException {
        return db.transaction(c -> StoreSql.update(c, "DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?", from, me) > 0);
    }

    /** Ends a friendship (and any request between the two); false when they were not friends. */
    public boolean unfriend(long me, long other) throws SQLException {
        return db.transaction(c -> {
            int n = StoreSql.update(c, "DELETE FROM friends WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)",
                    me, other, other, me);
            return n > 0;
        });
    }

    /** The friends of {@code userId}, by name. */
    public List<User> friends(long userId) throws SQLException {
        return db.read(c -> StoreSql.users(c, "SELECT u.id, u.name FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.name", userId));
    }

    /** Who asked {@code userId} to be friends, by name. */
    public List<User> incomingRequests(long userId) throws SQLException {
        return db.read(c -> StoreSql.users(c, "SELECT u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.from_id WHERE r.to_id = ? ORDER BY u.name", userId));
    }

    /** Whom {@code userId} asked to be friends, by name. */
    public List<User> outgoingRequests(long userId) throws SQLException {
        return db.read(c -> StoreSql.users(c, "SELECT u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.to_id WHERE r.from_id = ? ORDER BY u.name", userId));
    }

    private void befriend(Connection c, long a, long b) throws SQLException {
        long now = clock.millis();
        StoreSql.update(c, "DELETE FROM friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)", a, b, b, a);
        StoreSql.update(c, "INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", a, b, now);
        StoreSql.update(c, "INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", b, a, now);
    }
}
