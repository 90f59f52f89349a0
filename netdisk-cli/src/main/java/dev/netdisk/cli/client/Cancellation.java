package dev.netdisk.cli.client;

import java.io.Closeable;
import java.io.IOException;

/**
 * A handle to stop a running transfer from another thread (a Ctrl-C handler, a timeout).
 *
 * <p>Thread-safe. {@link #cancel()} closes the transfer's data connection, so a transfer blocked
 * in a socket read or write stops at once and throws {@link TransferCancelledException}. One
 * instance may serve several transfers in turn; once cancelled it stays cancelled until
 * {@link #reset()}.
 */
public final class Cancellation {
    private boolean cancelled;
    private Closeable resource;

    /**
     * Stops the transfer that is using this handle, if any, and every later one until {@link #reset()}.
     *
     * @return whether a transfer was using it (something was {@link #attach attached}): then that
     *         transfer ends with {@link TransferCancelledException} and its caller reports it
     */
    public boolean cancel() {
        Closeable toClose;
        synchronized (this) {
            cancelled = true;
            toClose = resource;
        }
        closeQuietly(toClose);
        return toClose != null;
    }

    /** True once {@link #cancel()} was called (and not {@link #reset()} since). */
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Makes the handle usable for another transfer. */
    public synchronized void reset() {
        cancelled = false;
        resource = null;
    }

    /**
     * Registers what to close on cancel (a data connection, or a closer of several), replacing the
     * one registered before; closes it at once if already cancelled. A failure to close is ignored.
     */
    public void attach(Closeable newResource) {
        boolean closeNow;
        synchronized (this) {
            resource = newResource;
            closeNow = cancelled;
        }
        if (closeNow) {
            closeQuietly(newResource);
        }
    }

    /** Forgets what {@link #attach} registered, without closing it: its transfer is over. */
    public synchronized void detach() {
        resource = null;
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is how we interrupt; a failure to close changes nothing
        }
    }
}
