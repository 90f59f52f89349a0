package dev.netdisk.server.net;

import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.config.AddressRanges;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.TlsSettings;
import dev.netdisk.server.tls.ServerTls;
import dev.netdisk.server.ops.Version;
import dev.netdisk.server.command.CommandRegistry;
import dev.netdisk.server.ops.ServerStats;
import dev.netdisk.server.session.Presence;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The selector thread: accepts connections, reads and frames lines, writes replies, and streams
 * transfer bytes. It owns every socket and never blocks; other threads give it work through
 * {@link #execute}, which queues a task and wakes the selector.
 */
public final class EventLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** How often housekeeping runs (expired tickets), in milliseconds. */
    private static final long TICK_MILLIS = 1_000;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Acceptor acceptor;
    private final SelectorBackoff selectorBackoff = new SelectorBackoff(System::nanoTime);
    /** A test's way to make a resource fail where no real trigger exists; null in a server. */
    private volatile Faults faults;
    private final Dispatcher dispatcher;
    private final Presence presence;
    private final Runnable housekeeping;
    private final int maxLineBytes;
    private final Limits limits;
    private final ServerStats stats;
    private final ExecutorService workers;
    private final ServerTls tls;
    private final TlsSettings tlsSettings;
    private final SelectorTasks tasks;
    private final Set<Connection> connections = new HashSet<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final SelectorTimers timers = new SelectorTimers();
    private volatile boolean running = true;
    private volatile Thread thread;

    /**
     * Binds the listening socket.
     *
     * @param address      where to listen; port 0 picks a free port
     * @param housekeeping run on the selector thread about once a second; must not block
     * @param limits       connection counts and timeouts, enforced here
     * @param stats        the counters of connections, transfers and bytes
     * @param tls          the certificate and engines for {@code AUTH TLS}; null when TLS is off
     * @param tlsSettings  the loopback exemption and the handshake timeout
     * @param proxies      the peers whose PROXY protocol header names the client ({@code --proxy-protocol-from})
     * @throws IOException when the address cannot be bound (port taken, no such interface)
     */
    public EventLoop(InetSocketAddress address, CommandRegistry registry, ExecutorService workers,
                     Presence presence, Runnable housekeeping, int maxLineBytes, Limits limits, ServerStats stats,
                     ServerTls tls, TlsSettings tlsSettings, AddressRanges proxies)
            throws IOException {
        this.selector = Selector.open();
        this.tasks = new SelectorTasks(selector);
        this.server = ServerSocketChannel.open();
        SelectionKey serverKey;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 1024);
            server.configureBlocking(false);
            serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        this.dispatcher = new Dispatcher(registry, workers, this);
        this.workers = workers;
        this.tls = tls;
        this.tlsSettings = tlsSettings;
        this.presence = presence;
        this.housekeeping = housekeeping;
        this.maxLineBytes = maxLineBytes;
        this.limits = limits;
        this.stats = stats;
        this.acceptor = new Acceptor(server, serverKey, limits, proxies, new Acceptor.Loop() {
            @Override
            public void open(SocketChannel channel, InetSocketAddress from) throws IOException {
                EventLoop.this.open(channel, from);
            }

            @Override
            public SelectionKey register(SocketChannel channel) throws IOException {
                return channel.register(selector, SelectionKey.OP_READ);
            }

            @Override
            public int openConnections() {
                return connections.size();
            }

            @Override
            public void at(long dueNanos, Runnable task) {
                timers.add(dueNanos, task);
            }

            @Override
            public void fault(String point) throws IOException {
                Faults f = faults;
                if (f != null) {
                    f.at(point);
                }
            }

            @Override
            public void reportTrouble() {
                EventLoop.this.reportTrouble();
            }
        });
    }

    /** The live counters; bumped only by the selector thread, readable from any. */
    ServerStats stats() {
        return stats;
    }

    /** The worker pool: a TLS handshake's delegated tasks run there. */
    ExecutorService workers() {
        return workers;
    }

    /** The server's TLS engines, or null when TLS is switched off. */
    ServerTls tls() {
        return tls;
    }

    TlsSettings tlsSettings() {
        return tlsSettings;
    }

    /**
     * Whether a connection from {@code address} must start TLS before a command that carries a
     * secret: TLS is on, and the address is not a loopback one that the settings exempt.
     */
    boolean requiresTls(InetAddress address) {
        return tls != null && !(tlsSettings.loopbackExempt() && address.isLoopbackAddress());
    }

    /** The address actually bound (with the real port when 0 was asked for). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** Runs {@code task} on the selector thread after {@code delay}; callable from any thread. */
    public void schedule(Runnable task, Duration delay) {
        long due = System.nanoTime() + delay.toNanos();
        execute(() -> timers.add(due, task));
    }

    /** Runs {@code task} on the selector thread soon; callable from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Where a test makes a resource fail on the selector thread: {@code select} before each
     * {@code select()}, {@code accept} before an accepted channel is set up and registered.
     */
    @FunctionalInterface
    interface Faults {
        void at(String point) throws IOException;
    }

    /** Installs {@code f} (null: none); any thread. For tests of the loop's failure handling only. */
    void injectFaults(Faults f) {
        this.faults = f;
    }

    /** How many selector turns and connection set-ups failed for lack of a resource since the start; any thread. */
    long selectorFailures() {
        return selectorBackoff.total();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long nextTick = System.nanoTime();
        try {
            while (running) {
                try {
                    nextTick = turn(nextTick);
                    selectorBackoff.succeeded();
                } catch (IOException | RuntimeException | OutOfMemoryError e) {
                    if (!running || !selector.isOpen()) {
                        break;
                    }
                    // Exhaustion is a state, not a loop: pause, count, log once per interval.
                    tasks.notSelecting();
                    Duration pause = selectorBackoff.failed(e);
                    reportTrouble();
                    LockSupport.parkNanos(this, pause.toNanos());
                }
            }
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    /** One turn of the loop: select, tasks, timers, ready keys, and once a second housekeeping. */
    private long turn(long nextTick) throws IOException {
        tasks.selecting();
        Faults f = faults;
        if (f != null) {
            f.at("select");
        }
        tasks.select(timers.selectTimeoutMillis(TICK_MILLIS));
        tasks.runAll();
        timers.runDue();
        Set<SelectionKey> ready = selector.selectedKeys();
        for (Iterator<SelectionKey> it = ready.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            handle(key);
        }
        if (System.nanoTime() - nextTick >= 0) {
            nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
            housekeeping.run();
            expireIdle();
            reportTrouble();
        }
        return nextTick;
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            acceptor.acceptAll();
            return;
        }
        if (key.attachment() instanceof ProxyHeaderReader reader) {
            reader.onReadable();
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                connection.onReadable();
            }
            if (key.isValid() && key.isWritable() && !connection.isClosed()) {
                connection.onWritable();
            }
        } catch (RuntimeException e) {
            // One connection's bug must not take the server down.
            LOG.log(System.Logger.Level.ERROR, "connection failed", e);
            connection.close("internal error: " + e);
        } catch (OutOfMemoryError e) {
            // Closing the connection frees what it held; counted, and logged once per interval.
            selectorBackoff.counted(e);
            connection.close("server out of memory");
        }
    }

    /** Sets up a connection the {@link Acceptor} let in: registers it, greets it with {@code 220}. */
    private void open(SocketChannel channel, InetSocketAddress remoteAddress) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        String remote = String.valueOf(remoteAddress);
        Connection connection = new Connection(this, channel, key, dispatcher, presence, maxLineBytes, remote,
                remoteAddress.getAddress(), limits.maxQueuedOutputBytes());
        key.attach(connection);
        connections.add(connection);
        stats.connectionOpened();
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + remote + " opened");
        connection.send(Reply.of(ReplyCode.SERVICE_READY, greeting()));
        connection.interestChanged();
    }

    /** Logs the counts of failed accepts, refused connections and failed turns, at most once per interval. */
    private void reportTrouble() {
        String line = acceptor.reportDue(connections.size());
        if (line != null) {
            LOG.log(System.Logger.Level.WARNING, line);
        }
        line = selectorBackoff.reportDue(connections.size());
        if (line != null) {
            RuntimeException bug = selectorBackoff.takeBug();
            if (bug == null) {
                LOG.log(System.Logger.Level.WARNING, line);
            } else {
                LOG.log(System.Logger.Level.ERROR, line, bug);
            }
        }
    }

    /** Closes the connections that have been silent, or stuck half-way through a line, for too long. */
    private void expireIdle() {
        long now = System.nanoTime();
        for (Connection c : new ArrayList<>(connections)) {
            c.expireIfIdle(now, limits);
        }
    }

    void forget(Connection connection) {
        if (connections.remove(connection)) {
            acceptor.closed(connection.address());
            stats.connectionClosed();
        }
    }

    /** How many connections are open. Approximate when read from another thread. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, says {@code 421} to every control connection, closes every connection
     * (interrupted uploads keep their bytes for resume), and waits for the selector thread to end.
     */
    public void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t); // out of a pause after a failed turn
        }
        if (thread != null && thread != Thread.currentThread()) {
            stopped.await(10, TimeUnit.SECONDS);
        }
    }

    private void shutdown() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Connection c : new ArrayList<>(connections)) {
            c.closeWith(Reply.of(ReplyCode.SERVICE_CLOSING, "server shutting down"));
        }
        // Connections from proxies still waiting for their header are not connections yet: closed here,
        // since closing the selector leaves its channels open.
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof ProxyHeaderReader) {
                try {
                    k.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        tasks.runAll();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The text of the {@code 220} greeting. */
    private static String greeting() {
        return "netdisk " + Version.version() + " ready (protocol 1)";
    }
}
