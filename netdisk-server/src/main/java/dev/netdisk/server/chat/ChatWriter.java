package dev.netdisk.server.chat;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.cluster.ClusterEvent;
import dev.netdisk.server.cluster.EventBus;
import dev.netdisk.server.cluster.LocalEventBus;
import dev.netdisk.server.protocol.Deferred;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of chat messages: the one thread that stores them. It takes every message waiting
 * in its bounded queue (up to {@link #MAX_BATCH}), inserts them in one SQLite transaction, and only
 * once that is committed hands the selector thread one task that pushes each message's event
 * (encoded once) to its online recipients and completes each sender's {@code 250}. A {@code 250}
 * therefore still means "stored"; under load, one commit serves hundreds of messages instead of
 * each message queueing for SQLite's single write lock.
 *
 * <p>Order: messages are stored, numbered and delivered in the order they were queued; a connection
 * sends its next command only after its {@code 250}, so one sender's messages never overtake each
 * other. Thread-safe; {@link #submit} never blocks (a full queue is refused with {@code 450}).
 */
final class ChatWriter implements Runnable {

    private static final System.Logger LOG = System.getLogger(ChatWriter.class.getName());

    /** The most messages one transaction stores. */
    static final int MAX_BATCH = 1_000;

    /** A message queued for storing, with its online recipients and the sender's pending reply. */
    record Submission(MessageStore.Draft draft, List<User> recipients, Deferred reply) {
    }

    private static final Submission STOP = new Submission(null, List.of(), null);

    private final MessageStore store;
    private final Presence presence;
    private final EventBus bus;
    private final Executor selector;
    private final BlockingQueue<Submission> queue;
    private final Thread thread;

    ChatWriter(MessageStore store, Presence presence, Executor selector, int capacity) {
        this(store, presence, selector, capacity, new LocalEventBus("local"));
    }

    /** @param bus tells the other servers of each stored message (nothing to do with a {@link LocalEventBus}) */
    ChatWriter(MessageStore store, Presence presence, Executor selector, int capacity, EventBus bus) {
        this.bus = bus;
        this.store = store;
        this.presence = presence;
        this.selector = selector;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this, "netdisk-chat-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a message; false when the queue is full (nothing was queued). */
    boolean submit(Submission s) {
        return queue.offer(s);
    }

    /** Stores what is queued, then ends the thread (waits up to 10 seconds). */
    void stop() throws InterruptedException {
        if (!queue.offer(STOP, 10, TimeUnit.SECONDS)) {
            thread.interrupt();
        }
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Override
    public void run() {
        List<Submission> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stopping = batch.remove(STOP);
                if (!batch.isEmpty()) {
                    try {
                        write(batch);
                    } catch (RuntimeException e) {
                        // A bug in one batch must not stop chat for everyone: answer it and go on.
                        LOG.log(System.Logger.Level.ERROR, "chat writer failed on a batch of " + batch.size(), e);
                        fail(batch);
                    }
                }
                batch.clear();
                if (stopping) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers the messages that would take their sender past the chat history limit with
     * {@code 552} and returns the others (the batch itself when all fit).
     */
    private List<Submission> withinHistoryLimit(List<Submission> batch) {
        java.util.Set<Integer> refused;
        try {
            refused = store.overHistoryLimit(batch.stream().map(Submission::draft).toList());
        } catch (SQLException e) {
            return batch; // storing will fail, or not, and say so
        }
        if (refused.isEmpty()) {
            return batch;
        }
        List<Submission> kept = new ArrayList<>(batch.size());
        List<Deferred> full = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (refused.contains(i)) {
                full.add(batch.get(i).reply());
            } else {
                kept.add(batch.get(i));
            }
        }
        Reply reply = Reply.of(ReplyCode.EXCEEDED_STORAGE, "chat history full: your stored messages reached "
                + store.historyLimit() + " bytes; nothing was sent (the administrator sets chat-history-mib-per-user)");
        selector.execute(() -> full.forEach(r -> r.complete(reply)));
        return kept;
    }

    /** Answers every message of {@code batch} with {@code 451}: none of them was stored. */
    private void fail(List<Submission> batch) {
        Reply failed = Reply.of(ReplyCode.LOCAL_ERROR, "local error in processing: database failure; nothing was sent");
        List<Deferred> replies = batch.stream().map(Submission::reply).toList();
        selector.execute(() -> replies.forEach(r -> r.complete(failed)));
    }

    private void write(List<Submission> submitted) {
        List<Submission> batch = withinHistoryLimit(submitted);
        if (batch.isEmpty()) {
            return;
        }
        List<MessageStore.Draft> drafts = new ArrayList<>(batch.size());
        for (Submission s : batch) {
            drafts.add(s.draft());
        }
        List<List<Session>> online = new ArrayList<>(batch.size());
        elsewhereCounts.clear();
        List<Integer> offlineCounts = new ArrayList<>(batch.size());
        List<MessageStore.Message> stored;
        try {
            stored = store.storeAll(drafts, i -> {
                if (i == 0) {
                    // A transaction run again (PostgreSQL, store/Database) starts the notes afresh.
                    online.clear();
                    offlineCounts.clear();
                }
                List<Long> offline = offline(batch.get(i), online);
                offlineCounts.add(offline.size());
                return offline;
            });
        } catch (SQLException e) {
            // One bad message (its group deleted meanwhile) must not fail the others: one by one.
            if (batch.size() > 1) {
                for (Submission s : batch) {
                    write(List.of(s));
                }
                return;
            }
            LOG.log(System.Logger.Level.ERROR, "CHAT failed", e);
            fail(batch);
            return;
        }
        if (bus.shared()) {
            bus.publishAll(clusterEvents(batch, stored));
        }
        List<byte[]> events = new ArrayList<>(stored.size());
        List<Outcome> replies = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            MessageStore.Message m = stored.get(i);
            events.add((ChatService.event(m) + "\n").getBytes(StandardCharsets.UTF_8));
            int delivered = online.get(i).size() + elsewhereCounts.get(i);
            int queued = offlineCounts.get(i);
            replies.add(Reply.of(ReplyCode.FILE_ACTION_OK, "id=" + m.id() + " delivered=" + delivered
                    + " stored=" + queued + " message sent to " + m.to()));
        }
        // The batch list is reused by the next round: the task keeps its own copy of the replies.
        List<Deferred> pending = new ArrayList<>(batch.size());
        for (Submission s : batch) {
            pending.add(s.reply());
        }
        selector.execute(() -> {
            for (int i = 0; i < pending.size(); i++) {
                byte[] event = events.get(i);
                for (Session s : online.get(i)) {
                    s.pushEncoded(event);
                }
                pending.get(i).complete(replies.get(i));
            }
        });
    }

    /** The events that tell the other servers of {@code stored}: each message's id and recipients. */
    private List<ClusterEvent> clusterEvents(List<Submission> batch, List<MessageStore.Message> stored) {
        List<ClusterEvent> out = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            List<User> to = batch.get(i).recipients();
            long[] ids = new long[to.size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = to.get(j).id();
            }
            out.add(ClusterEvent.chat(bus.origin(), stored.get(i).id(), ids));
        }
        return out;
    }

    /** Per message of the batch being written: its recipients listening on other servers only. */
    private final List<Integer> elsewhereCounts = new ArrayList<>();

    /**
     * Called inside the transaction, once per message in order: notes the online sessions here and
     * the recipients listening on other servers, returns the offline ids (kept for their next LISTEN).
     */
    private List<Long> offline(Submission s, List<List<Session>> online) {
        List<Long> offline = List.of();
        List<Session> sessions = new ArrayList<>();
        int elsewhere = 0;
        for (User r : s.recipients()) {
            List<Session> of = presence.listeners(r.id());
            if (of.isEmpty() && bus.shared() && bus.onlineElsewhere(r.id())) {
                elsewhere++; // pushed by the server it listens on, told by the bus after the commit
            } else if (of.isEmpty()) {
                if (offline.isEmpty()) {
                    offline = new ArrayList<>();
                }
                offline.add(r.id());
            } else {
                sessions.addAll(of);
            }
        }
        online.add(sessions);
        elsewhereCounts.add(elsewhere);
        return offline;
    }
}
