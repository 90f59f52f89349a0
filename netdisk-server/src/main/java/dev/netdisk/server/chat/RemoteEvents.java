package dev.netdisk.server.chat;

import dev.netdisk.server.cluster.ClusterEvent;
import dev.netdisk.server.cluster.RevocationListener;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * What this server does with another server's events ({@link dev.netdisk.server.cluster.EventBus}):
 * a chat message for a user listening here is read from the database by its id and pushed to their
 * connections, as the chat writer pushes a message stored here; a user who came online or went
 * offline elsewhere is announced to their friends listening here, unless the user listens here
 * too (then nothing changed for those friends); a read marker moved elsewhere is told to the
 * user's connections listening here ({@code * READ}), as is, with no query. A revocation goes to
 * {@code revocations}.
 *
 * <p>Called on the bus's thread; the queries run on the workers, the pushes on the selector thread.
 */
final class RemoteEvents implements Consumer<ClusterEvent> {

    private static final System.Logger LOG = System.getLogger(RemoteEvents.class.getName());

    private final MessageStore messages;
    private final FriendStore friends;
    private final Presence presence;
    private final Executor workers;
    private final Executor selector;
    private final RevocationListener revocations;

    private final ChatService chat;

    RemoteEvents(ChatService chat, MessageStore messages, FriendStore friends, Presence presence, Executor workers,
                 Executor selector, RevocationListener revocations) {
        this.chat = chat;
        this.revocations = revocations;
        this.messages = messages;
        this.friends = friends;
        this.presence = presence;
        this.workers = workers;
        this.selector = selector;
    }

    @Override
    public void accept(ClusterEvent event) {
        if (event.kind() == ClusterEvent.Kind.REVOKE) {
            revocations.revoked(event.revocation());
        } else if (event.kind() == ClusterEvent.Kind.RESYNC) {
            revocations.mayHaveMissed();
            onWorker(chat::cachesMayBeStale);
        } else if (event.kind() == ClusterEvent.Kind.GROUP) {
            chat.groupChangedHere(event.messageId());
        } else if (event.kind() == ClusterEvent.Kind.FRIENDS) {
            onWorker(() -> chat.friendsChangedElsewhere(event.userIds()));
        } else if (event.kind() == ClusterEvent.Kind.NOTICE) {
            long user = event.userId();
            if (presence.isOnline(user)) {
                selector.execute(() -> {
                    for (Session s : presence.listeners(user)) {
                        s.push(event.name());
                    }
                });
            }
        } else if (event.kind() == ClusterEvent.Kind.CHAT) {
            List<Long> here = new ArrayList<>();
            for (long id : event.userIds()) {
                if (presence.isOnline(id)) {
                    here.add(id);
                }
            }
            if (!here.isEmpty()) {
                onWorker(() -> chat(event.messageId(), here));
            }
        } else if (event.kind() == ClusterEvent.Kind.READ) {
            long user = event.userId();
            if (presence.isOnline(user)) {
                String line = ChatService.readEvent(event.name(), event.messageId());
                selector.execute(() -> {
                    for (Session s : presence.listeners(user)) {
                        s.push(line);
                    }
                });
            }
        } else if (!presence.isOnline(event.userId())) {
            String line = (event.kind() == ClusterEvent.Kind.ONLINE ? "* ONLINE " : "* OFFLINE ") + event.name();
            onWorker(() -> tellFriends(event.userId(), line));
        }
    }

    private void chat(long messageId, List<Long> recipients) throws SQLException {
        Optional<MessageStore.Message> m = messages.byId(messageId);
        if (m.isEmpty()) {
            return; // deleted meanwhile (HISTORY --clear)
        }
        byte[] line = (ChatService.event(m.get()) + "\n").getBytes(StandardCharsets.UTF_8);
        selector.execute(() -> {
            for (long id : recipients) {
                for (Session s : presence.listeners(id)) {
                    s.pushEncoded(line);
                }
            }
        });
    }

    private void tellFriends(long userId, String line) throws SQLException {
        List<User> of = friends.friends(userId);
        selector.execute(() -> {
            for (User f : of) {
                for (Session s : presence.listeners(f.id())) {
                    s.push(line);
                }
            }
        });
    }

    private interface Query {
        void run() throws SQLException;
    }

    private void onWorker(Query query) {
        try {
            workers.execute(() -> {
                try {
                    query.run();
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "an event from another server failed", e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the server is stopping
        }
    }
}
