package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Outcome;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An outcome that another thread produces later: how a {@code CHAT} is answered only once the chat
 * writer has made its message durable. The connection stays busy meanwhile (its next command
 * waits), but no worker waits: the worker returns this at once.
 *
 * <p>Thread-safe. {@link #complete} is called once, on the selector thread; the action given to
 * {@link #whenComplete} then runs there, in the same task.
 */
public final class Deferred implements Outcome {

    private Outcome result;
    private Consumer<Outcome> action;

    /** Delivers the outcome (selector thread only): runs the action now if it is set. */
    public void complete(Outcome outcome) {
        Consumer<Outcome> then;
        synchronized (this) {
            if (result != null) {
                throw new IllegalStateException("completed twice");
            }
            result = outcome;
            then = action;
        }
        if (then != null) {
            then.accept(outcome);
        }
    }

    /**
     * Sets what to do with the outcome; it runs on the selector thread: in {@link #complete}'s
     * task, or, when the outcome is already there, in a task given to {@code selector}.
     */
    public void whenComplete(Consumer<Outcome> onSelector, Executor selector) {
        Outcome done;
        synchronized (this) {
            done = result;
            if (done == null) {
                action = onSelector;
            }
        }
        if (done != null) {
            selector.execute(() -> onSelector.accept(done));
        }
    }
}
