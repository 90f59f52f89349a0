package dev.netdisk.server.app;


import dev.netdisk.server.crypt.JitWarmup;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.command.CommandRegistry;
import dev.netdisk.server.net.EventLoop;
import dev.netdisk.server.ops.AdminSocket;
import dev.netdisk.server.ops.DataDirLock;
import dev.netdisk.server.ops.ServerStats;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PrivateFiles;
import dev.netdisk.server.store.Trash;
import dev.netdisk.server.store.UserStore;
import dev.netdisk.server.transfer.TransferPools;
import dev.netdisk.server.transfer.UploadCommits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.security.GeneralSecurityException;
import dev.netdisk.server.tls.ServerTls;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running netdisk server: the selector thread, the worker pool, the database and the blob store
 * under one data directory.
 *
 * <pre>{@code
 * try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(dir))) {
 *     int port = server.port();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close} is a graceful stop: no new connections, {@code 421} to the open
 * ones, interrupted uploads kept for resume, queued blocking work finished, the database closed.
 */
public final class NetdiskServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NetdiskServer.class.getName());

    /** The longest protocol line, in bytes without the terminator. */

    /** Chat messages waiting to be stored beyond which {@code CHAT} gets {@code 450 chat queue full}. */
    static final int CHAT_QUEUE = 10_000;

    /** How often idle rate-limit and login-failure entries are dropped, in housekeeping ticks. */
    private static final int PURGE_TICKS = 60;

    /** How often kept uploads past their time to live are swept, in housekeeping ticks (seconds). */
    private static final int SWEEP_TICKS = 3_600;

    private final CommandRegistry.Parts parts;
    private final Database database;
    private final TransferPools pools;
    private final EventLoop loop;
    private final Thread selectorThread;
    /** Renews this instance's leases and heartbeat on a thread of its own, never behind queued work. */
    private final Heartbeat leases;
    private final InetSocketAddress address;
    private final AtomicInteger ticks = new AtomicInteger();
    private final DataDirLock lock;
    private final ServerStats stats;
    /** The certificate and engines for AUTH TLS; null when TLS is switched off. */
    private final ServerTls tls;
    private volatile AdminSocket adminSocket;
    private volatile boolean closed;

    private NetdiskServer(CommandRegistry.Parts parts, Database database, TransferPools pools, EventLoop loop,
                          DataDirLock lock, ServerStats stats, ServerTls tls) throws IOException {
        this.tls = tls;
        this.parts = parts;
        this.database = database;
        this.pools = pools;
        this.loop = loop;
        this.lock = lock;
        this.stats = stats;
        this.address = loop.localAddress();
        this.selectorThread = new Thread(loop, "netdisk-selector");
        // Every reply and event waits for this thread: with the launcher's priority flags it runs at
        // nice -5 where the system allows it (root, or a LimitNICE), ahead of the bulk threads at 10.
        selectorThread.setPriority(Thread.MAX_PRIORITY);
        this.leases = new Heartbeat(() -> {
            parts.tickets().renew();
            parts.chat().clusterHeartbeat();
        }, parts.tickets().lease());
    }

    /**
     * Opens the data directory (creating it and migrating the database), binds the port and starts
     * serving.
     *
     * @throws IOException  when the data directory cannot be created or the address cannot be bound
     * @throws DataDirLock.LockedException when another server uses the data directory
     * @throws SQLException when the database cannot be opened or migrated
     */
    public static NetdiskServer start(ServerConfig config) throws IOException, SQLException {
        PrivateFiles.createDirectories(config.dataDir());
        JitWarmup.start();
        Limits limits = Assembly.fitToDescriptors(config.limits());
        // Before the database: a second server must not even migrate it.
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        Path dbFile = config.dataDir().resolve("netdisk.db");
        Database db;
        try {
            // One connection per worker, and one for the chat writer.
            db = Database.open(config.database(), config.dataDir(), config.workerThreads() + 1, System.getenv());
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e;
        }
        Clock clock = Clock.systemUTC();
        ExecutorService workers = null;
        ExecutorService bulk = null;
        UploadCommits commits = null;
        ServerStats stats = new ServerStats();
        try {
            for (String suffix : db.dialect() == Dialect.SQLITE ? new String[] {"", "-wal", "-shm"} : new String[0]) {
                PrivateFiles.restrict(dbFile.resolveSibling(dbFile.getFileName() + suffix));
            }
            workers = Assembly.pool(config.workerThreads(), "netdisk-worker-", Thread.NORM_PRIORITY);
            bulk = Assembly.pool(config.workerThreads(), "netdisk-bulk-", Thread.MIN_PRIORITY);
            CommandRegistry.Parts parts = Assembly.parts(config, limits, db, clock, workers, bulk);
            commits = parts.commits();
            TransferPools pools = parts.pools();
            Presence presence = parts.presence();
            ChatService chat = parts.chat();
            InetSocketAddress bindAddress = config.bind() == null || config.bind().isEmpty()
                    ? new InetSocketAddress(config.port())
                    : new InetSocketAddress(config.bind(), config.port());
            NetdiskServer[] self = new NetdiskServer[1];
            ServerTls tls = null;
            if (config.tls().enabled()) {
                try {
                    tls = ServerTls.open(config.tls(), config.dataDir());
                } catch (GeneralSecurityException e) {
                    throw new IOException("cannot load the TLS certificate: " + e.getMessage(), e);
                }
            }
            EventLoop loop = new EventLoop(bindAddress, CommandRegistry.create(parts), workers,
                    presence, () -> self[0].housekeeping(), ProtocolLimits.MAX_LINE_BYTES, limits, stats,
                    tls, config.tls(), config.proxyProtocolFrom());
            self[0] = new NetdiskServer(parts, db, pools, loop, lock, stats, tls);
            chat.start(loop::execute, CHAT_QUEUE, new RemoteRevocations(presence, parts.tickets().revocations(),
                    parts.users(), workers));
            // With other servers: this one's row first, before any of its users' presence rows.
            chat.clusterHeartbeat();
            self[0].selectorThread.start();
            self[0].leases.start();
            self[0].sweepPartials();
            self[0].startAdminSocket();
            self[0].sweepTrash();
            return self[0];
        } catch (IOException | SQLException | RuntimeException e) {
            for (ExecutorService pool : new ExecutorService[] {bulk, workers}) {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            if (commits != null) {
                commits.close();
            }
            db.close();
            lock.close();
            throw e;
        }
    }

    /** The admin socket is a convenience for {@code status}: the server runs without it. */
    private void startAdminSocket() {
        try {
            adminSocket = new AdminEndpoint(parts, database, stats, tls, address, this::reloadTls).open();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "no admin socket in " + parts.config().dataDir()
                    + " (status will not show live counters): " + e);
        }
    }

    /** The TLS certificate's fingerprint ({@code SHA256:...}), empty when TLS is switched off. */
    public Optional<String> tlsFingerprint() {
        return tls == null ? Optional.empty() : Optional.of(tls.fingerprint());
    }

    /**
     * Reads the TLS certificate and key files again (a renewed certificate) for new connections;
     * open connections keep theirs. For {@code netdisk-server reload} and SIGHUP.
     *
     * @return what happened, one line: {@code fingerprint=SHA256:...} or {@code error=...}
     */
    public String reloadTls() {
        if (tls == null) {
            return "error=TLS is switched off";
        }
        try {
            return "fingerprint=" + tls.reload();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS reload failed, keeping " + tls.fingerprint() + ": " + e.getMessage());
            return "error=" + e.getMessage() + " (still using " + tls.fingerprint() + ")";
        }
    }

    /** The live counters: connections, transfers, bytes in and out. */
    public ServerStats stats() {
        return stats;
    }

    /** The port the server listens on (the real one when the configuration asked for 0). */
    public int port() {
        return address.getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** How many connections are open now (approximate: read off the selector thread). */
    public int connectionCount() {
        return loop.connectionCount();
    }

    /** The selector loop; tests of its failure handling inject faults through it (package {@code net}). */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The configuration the server was started with. */
    public ServerConfig config() {
        return parts.config();
    }

    /** The database, for administration and tests. */
    public Database database() {
        return database;
    }

    /** The user accounts, for administration and tests. */
    public UserStore users() {
        return parts.users();
    }

    /** Every user's file tree, for administration and tests. */
    public FileTree tree() {
        return parts.tree();
    }

    /** The blob files, for administration and tests. */
    public BlobStore blobs() {
        return parts.blobs();
    }

    /** The last step of every upload, for tests that count its commits. */
    public UploadCommits commits() {
        return parts.commits();
    }

    /** Selector thread, about once a second: cheap in-memory chores; disk work goes to a worker. */
    private void housekeeping() {
        parts.tickets().revocations().purge();
        int tick = ticks.incrementAndGet();
        if (tick % PURGE_TICKS == 0) {
            WorkerChore.submit(pools.workers(), () -> parts.tickets().sweep(), "sweeping expired tickets");
            parts.chatRate().purge();
            parts.registrations().purge();
            WorkerChore.submit(pools.workers(), () -> parts.loginThrottle().purge(), "purging old login failures");
        }
        if (tick % SWEEP_TICKS == 0) {
            sweepPartials();
            sweepTrash();
        }
    }

    private void sweepPartials() {
        try {
            pools.workers().execute(() -> {
                try {
                    Duration ttl = parts.config().partialTtl();
                    List<String> expired = parts.partials().expire(ttl);
                    for (String blobId : expired) {
                        parts.blobs().deletePartial(blobId);
                    }
                    if (!expired.isEmpty()) {
                        LOG.log(System.Logger.Level.INFO, () -> "removed " + expired.size() + " expired partial uploads");
                    }
                } catch (IOException | SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "sweeping expired partial uploads failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // stopping
        }
    }

    /** Removes for good what has been in the trash longer than the configured time (on a worker). */
    private void sweepTrash() {
        try {
            pools.workers().execute(() -> {
                try {
                    Trash.Purge purge = parts.trash().expire();
                    if (purge.items() > 0) {
                        LOG.log(System.Logger.Level.INFO, () -> "removed " + purge.items() + " expired trash items, "
                                + purge.bytes() + " bytes");
                    }
                } catch (IOException | SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "sweeping expired trash failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // stopping
        }
    }

    /** Frees this instance's transfers and upload leases for the other servers (and the next run). */
    private void releaseLeases() {
        try {
            parts.tickets().releaseAll();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not free this server's upload leases; they run out in "
                    + parts.tickets().lease().toSeconds() + " s", e);
        }
    }

    /** Stops gracefully and waits (up to about 10 seconds per stage). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            loop.stop();
            leases.close();
            // Bulk first: its upload lanes hand finished uploads to the workers.
            for (ExecutorService pool : new ExecutorService[] {pools.bulk(), pools.workers()}) {
                pool.shutdown();
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            }
            parts.chat().stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // After the workers (they hand uploads over), before the database (it commits them).
            parts.commits().close();
            releaseLeases();
            parts.blobs().close();
            database.close();
            AdminSocket admin = adminSocket;
            if (admin != null) {
                admin.close();
            }
            lock.close();
        }
    }
}
