package dev.netdisk.server.net;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The queue of tasks other threads hand to the selector thread, and the wake-ups that go with it.
 * {@link #add} is callable from any thread; {@link #select}, {@link #notSelecting} and
 * {@link #runAll} only from the selector thread.
 */
final class SelectorTasks {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Whether a {@code selector.wakeup()} was made that the selector thread has not consumed yet. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Whether the selector thread is in (or about to enter) a blocking select. */
    private volatile boolean selecting;

    SelectorTasks(Selector selector) {
        this.selector = selector;
    }

    /** Queues {@code task} for the selector thread and wakes it if it is blocked; any thread. */
    void add(Runnable task) {
        tasks.add(task);
        // Wake the selector only when it is (about to be) blocked in select(), and once per batch.
        // Selector.wakeup() takes a lock that the selector thread also takes after every woken
        // select: with a wakeup per task (two per MiB of each upload), a worker preempted while
        // holding it stalled the selector, and every reply with it, for tens of milliseconds on a
        // busy machine. No task is missed: the selector sets selecting before it looks at the
        // queue, so either it sees this task and does not block, or this thread sees selecting.
        if (selecting && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Selects: blocks up to {@code timeoutMillis} milliseconds when no task is queued, returns at
     * once when one is (or arrives meanwhile). The caller calls {@link #selecting} first, before it
     * does anything that may fail.
     *
     * @throws IOException from {@link Selector#select(long)}
     */
    void select(long timeoutMillis) throws IOException {
        if (tasks.isEmpty()) {
            selector.select(timeoutMillis);
        } else {
            selector.selectNow();
        }
        notSelecting();
        wakeupPending.set(false);
    }

    /** Marks the selector thread as about to select: from here on {@link #add} wakes it. */
    void selecting() {
        selecting = true;
    }

    /** Marks the selector thread as not selecting (a turn failed before or in {@link #select}). */
    void notSelecting() {
        selecting = false;
    }

    /** Runs every queued task, logging (not propagating) a task's runtime failure. */
    void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "selector task failed", e);
            }
        }
    }
}
