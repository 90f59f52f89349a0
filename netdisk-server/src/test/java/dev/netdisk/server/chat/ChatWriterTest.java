package dev.netdisk.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.protocol.Deferred;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat writer on a real SQLite file: its bounded queue refuses when full, and what it accepted
 * is stored in order and answered once committed.
 */
class ChatWriterTest {

    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesAndWhatWasQueuedIsStoredInOrder() throws Exception {
        try (Database db = Database.open(dir.resolve("netdisk.db"), 2)) {
            Clock clock = Clock.systemUTC();
            UserStore users = new UserStore(db, new FileTree(db, clock), new PasswordHasher(1_000), clock);
            User alice = users.register("alice", "secret-password").orElseThrow();
            User bob = users.register("bob", "secret-password").orElseThrow();
            MessageStore store = new MessageStore(db, clock);
            ConcurrentLinkedQueue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
            Executor selector = selectorTasks::add;
            ChatWriter writer = new ChatWriter(store, new Presence(), selector, 3);

            // Not started yet: nothing drains the queue, so the fourth message finds it full.
            Deferred[] replies = new Deferred[3];
            for (int i = 0; i < 3; i++) {
                replies[i] = new Deferred();
                assertThat(writer.submit(submission(alice, bob, "m" + i, replies[i]))).isTrue();
            }
            assertThat(writer.submit(submission(alice, bob, "too many", new Deferred()))).isFalse();

            ConcurrentLinkedQueue<Outcome> answered = new ConcurrentLinkedQueue<>();
            for (Deferred d : replies) {
                d.whenComplete(answered::add, selector);
            }
            writer.start();
            await().until(() -> {
                Runnable task;
                while ((task = selectorTasks.poll()) != null) {
                    task.run();
                }
                return answered.size() == 3;
            });
            writer.stop();

            List<String> texts = answered.stream().map(o -> ((Reply) o).text()).toList();
            assertThat(texts).allMatch(t -> t.contains("delivered=0 stored=1 message sent to bob"));
            List<MessageStore.Message> history = store.privateHistory(alice.id(), bob.id(), 10, Long.MAX_VALUE);
            assertThat(history).extracting(MessageStore.Message::body).containsExactly("m0", "m1", "m2");
            assertThat(history).extracting(MessageStore.Message::id).isSorted();
            assertThat(store.takePending(bob.id())).extracting(MessageStore.Message::body).containsExactly("m0", "m1", "m2");
        }
    }

    private static ChatWriter.Submission submission(User from, User to, String body, Deferred reply) {
        return new ChatWriter.Submission(new MessageStore.Draft(from, to.id(), 0, to.name(), body), List.of(to), reply);
    }
}
