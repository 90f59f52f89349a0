package dev.netdisk.cli.session;

import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.Unread;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The read markers of what a listening session shows, and the user's unread total. A message shown
 * live (in the shell, by {@code listen}) is read: its conversation's marker moves to it. The moves
 * are batched: the first message seen starts a {@value #BATCH_MILLIS} ms wait, and then one
 * {@code READ} per conversation carries the newest id seen there, so a flood of messages costs a few
 * round trips, not one per message (PROTOCOL.md section 7, {@code READ}). After them the unread
 * total is asked again ({@code UNREAD}) and, when it changed, the change listener is told (the
 * shell redraws its prompt). A marker moved on another of the user's connections ({@code * READ})
 * makes the total be asked again too (batched the same way), and a pending move it covers is dropped.
 *
 * <p>Thread-safe. {@link #seen} is called on the connection's reader thread and only queues; the
 * round trips run on the session's background thread, or on the caller's for {@link #refresh}.
 */
final class ReadMarks {

    /** How long the first message seen waits for others before their markers go out together. */
    static final long BATCH_MILLIS = 200;

    private final Session session;
    private final ScheduledExecutorService background;
    /** Newest id seen per conversation ({@code bob}, {@code #team}), not yet sent. Guarded by this. */
    private final Map<String, Long> pending = new LinkedHashMap<>();
    /** Guarded by this. */
    private boolean scheduled;
    /** A recount for markers moved elsewhere is due. Guarded by this. */
    private boolean recountScheduled;
    private volatile boolean enabled = true;
    /** The unread messages of the user, all conversations; -1 before the first count or when logged out. */
    private volatile long unread = -1;
    private volatile Runnable onChange = () -> { };

    ReadMarks(Session session, ScheduledExecutorService background) {
        this.session = session;
        this.background = background;
    }

    /** Whether shown messages are marked read (on by default; {@code listen --no-mark-read} turns it off). */
    void setEnabled(boolean on) {
        enabled = on;
    }

    /** What to run (on any thread) when the unread total changes. */
    void setOnChange(Runnable action) {
        onChange = action == null ? () -> { } : action;
    }

    /** The unread total last counted, -1 when not known. */
    long unread() {
        return unread;
    }

    /** Notes that {@code m}, addressed to {@code me} or from them, was shown; reader thread, never blocks. */
    void seen(ChatMessage m, String me) {
        if (!enabled || me == null) {
            return;
        }
        String conversation = m.isGroup() ? m.to() : m.from().equals(me) ? m.to() : m.from();
        synchronized (this) {
            pending.merge(conversation, m.id(), Math::max);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule(BATCH_MILLIS);
    }

    /**
     * Notes that another connection of the user moved the marker of {@code conversation} to
     * {@code messageId} ({@code * READ}); reader thread, never blocks. A pending move no further
     * than that is dropped (the server has it), and the unread total is counted again after
     * {@value #BATCH_MILLIS} ms, once for all the moves heard meanwhile.
     */
    void readElsewhere(String conversation, long messageId) {
        synchronized (this) {
            pending.computeIfPresent(conversation, (c, id) -> id <= messageId ? null : id);
            if (recountScheduled) {
                return;
            }
            recountScheduled = true;
        }
        try {
            background.schedule(this::recount, BATCH_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the session is closing
        }
    }

    private void recount() {
        synchronized (this) {
            recountScheduled = false;
        }
        refresh();
    }

    /** After a reconnect: send what could not be sent while the connection was down. */
    void resume() {
        synchronized (this) {
            if (scheduled || pending.isEmpty()) {
                return;
            }
            scheduled = true;
        }
        schedule(0);
    }

    private void schedule(long delayMillis) {
        try {
            background.schedule(this::flush, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the session is closing
        }
    }

    private void flush() {
        Map<String, Long> batch;
        synchronized (this) {
            batch = new LinkedHashMap<>(pending);
            pending.clear();
            scheduled = false;
        }
        Optional<NetdiskClient> c = session.current();
        if (c.isEmpty() || c.get().user() == null) {
            keep(batch);  // sent after the reconnect (resume)
            return;
        }
        for (Map.Entry<String, Long> e : batch.entrySet()) {
            try {
                c.get().social().markRead(e.getKey(), e.getValue());
            } catch (ReplyException refused) {
                // the group was deleted or left meanwhile: nothing left to mark
            } catch (IOException | RuntimeException broken) {
                keep(batch);
                return;
            }
        }
        refresh();
    }

    /** Puts back markers not sent; a newer id seen meanwhile wins. */
    private void keep(Map<String, Long> batch) {
        synchronized (this) {
            batch.forEach((conversation, id) -> pending.merge(conversation, id, Math::max));
        }
    }

    /** Counts the unread messages again ({@code UNREAD}, blocking) and tells the listener when the total changed. */
    void refresh() {
        long total = -1;
        Optional<NetdiskClient> c = session.current();
        if (c.isPresent() && c.get().user() != null) {
            try {
                total = c.get().social().unread().stream().mapToLong(Unread::count).sum();
            } catch (IOException | RuntimeException e) {
                total = unread;  // keep the last count; the connection reports itself
            }
        }
        if (total != unread) {
            unread = total;
            onChange.run();
        }
    }
}
