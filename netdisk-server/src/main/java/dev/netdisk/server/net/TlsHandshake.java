package dev.netdisk.server.net;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The TLS handshake of one connection after its {@code 234} ({@code AUTH TLS}, RFC 4217 section 4;
 * docs/PROTOCOL.md section 1a): advanced on the selector thread as far as the socket allows, its
 * CPU-heavy delegated tasks (key exchange, signature) run on a worker, and it continues on the
 * selector when they are done. Bounded in time by {@link #expired}.
 *
 * <p>Selector thread only, but for the delegated tasks.
 */
final class TlsHandshake {

    /** What a handshake tells its connection, on the selector thread. */
    interface Owner {
        /** The handshake is done: application data may flow. */
        void handshakeDone();

        /** The handshake failed (garbage, a clear line, a bad client hello): close with {@code why}. */
        void handshakeFailed(String why);

        /** The interest ops should be computed again ({@link #interestOps}). */
        void interestChanged();

        boolean isClosed();
    }

    private final TlsChannel tls;
    private final EventLoop loop;
    private final Owner owner;
    private final long startedNanos = System.nanoTime();
    /** Delegated tasks run on a worker: the socket is not watched meanwhile. */
    private boolean tasksRunning;
    /** What the handshake waits for from the socket. */
    private TlsChannel.Step waits;

    TlsHandshake(TlsChannel tls, EventLoop loop, Owner owner) {
        this.tls = tls;
        this.loop = loop;
        this.owner = owner;
    }

    /** Selector: advances the handshake as far as the socket allows. */
    void advance() {
        TlsChannel.Step step;
        try {
            step = tls.handshake();
        } catch (IOException | RuntimeException e) {
            owner.handshakeFailed("TLS handshake failed: " + e.getMessage());
            return;
        }
        waits = step;
        if (step == TlsChannel.Step.DONE) {
            owner.handshakeDone();
        } else if (step == TlsChannel.Step.TASKS) {
            List<Runnable> tasks = tls.delegatedTasks();
            tasksRunning = true;
            try {
                loop.workers().execute(() -> {
                    try {
                        tasks.forEach(Runnable::run);
                    } finally {
                        loop.execute(() -> {
                            tasksRunning = false;
                            if (!owner.isClosed()) {
                                advance();
                            }
                        });
                    }
                });
            } catch (RejectedExecutionException e) {
                owner.handshakeFailed("server busy or stopping");
                return;
            }
        }
        owner.interestChanged();
    }

    /** The selection interest while the handshake runs: none while its tasks run, else what it waits for. */
    int interestOps() {
        return tasksRunning ? 0 : waits == TlsChannel.Step.WRITE ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    }

    /** Whether it has run longer than {@code allowed} at {@code now} ({@link System#nanoTime}). */
    boolean expired(long now, Duration allowed) {
        return now - startedNanos > allowed.toNanos();
    }
}
