package dev.netdisk.server.app;

import dev.netdisk.server.auth.LoginThrottle;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.auth.RateLimiter;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.cluster.ClusterEvent;
import dev.netdisk.server.cluster.ClusterPresence;
import dev.netdisk.server.cluster.EventBus;
import dev.netdisk.server.cluster.EventBuses;
import dev.netdisk.server.chat.FriendStore;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.chat.MessageStore;
import dev.netdisk.server.command.CommandRegistry;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.config.StoragePolicy;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.s3.S3BlobStore;
import dev.netdisk.server.store.s3.S3Location;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.store.FileEdits;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.LoginFailures;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.ShareGrants;
import dev.netdisk.server.store.ShareLinks;
import dev.netdisk.server.store.TicketRows;
import dev.netdisk.server.store.Trash;
import dev.netdisk.server.store.UserStore;
import dev.netdisk.server.transfer.Tickets;
import dev.netdisk.server.transfer.TransferPools;
import dev.netdisk.server.transfer.UploadCommits;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import dev.netdisk.server.ops.FdLimit;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the stores and services of a server from its configuration, each once, and hands them
 * out as the {@link CommandRegistry.Parts} the commands are wired to. With {@link NetdiskServer},
 * which builds the event loop around them, the one place where the server is put together.
 */
final class Assembly {

    private static final System.Logger LOG = System.getLogger(NetdiskServer.class.getName());

    /** Queued blocking tasks beyond which new commands get {@code 421 server busy}. */
    private static final int WORKER_QUEUE = 10_000;

    /** Fewer connections than this under the limit on open files is worth a warning even with the default max-connections. */
    private static final int NOTABLE_CONNECTIONS = 1_024;

    private Assembly() {
    }

    /**
     * {@code limits} with {@code max-connections} lowered, with a warning, to what fits under the
     * process's limit on open files with a reserve kept ({@link FdLimit}). The JVM has already
     * raised its soft limit to the hard one (HotSpot does on Linux); it cannot go further.
     */
    static Limits fitToDescriptors(Limits limits) {
        OptionalLong soft = FdLimit.softLimit();
        int fits = FdLimit.fit(limits.maxConnections(), soft, FdLimit.openNow());
        if (fits == limits.maxConnections()) {
            return limits;
        }
        // The default (20,000) lowered a little under the usual 20,000-descriptor limit is no news;
        // a value the operator chose, or a limit that leaves few connections, is.
        boolean news = limits.maxConnections() != Limits.defaults().maxConnections() || fits < NOTABLE_CONNECTIONS;
        LOG.log(news ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, () -> "max-connections lowered from "
                + (limits.maxConnections() == 0 ? "unlimited" : limits.maxConnections()) + " to " + fits
                + ": the limit on open files is " + soft.getAsLong() + " and " + FdLimit.MIN_RESERVE
                + " or more are kept for the database, blob files and the admin socket"
                + " (raise it with ulimit -n or LimitNOFILE=)");
        return limits.withCounts(fits, limits.maxConnectionsPerIp(), limits.maxSessionsPerUser(),
                limits.maxTicketsPerUser(), limits.maxTransfersPerUser());
    }

    /**
     * A fixed pool of {@code threads} daemon threads named {@code prefix + n}, with a bounded queue.
     * {@code priority} reaches the operating system only when the JVM runs with
     * {@code -XX:ThreadPriorityPolicy=1}, as bin/netdisk-server starts it (docs/OPERATIONS.md):
     * {@link Thread#MIN_PRIORITY} is then nice 10 there.
     */
    static ExecutorService pool(int threads, String prefix, int priority) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), r -> {
                    Thread t = new Thread(r, prefix + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(priority);
                    return t;
                });
        // All threads now, so the thread count of a running server does not depend on its past load.
        pool.prestartAllCoreThreads();
        return pool;
    }

    /** What the operator calls this server in the {@code servers} table: its host name and port. */
    private static String serverName(ServerConfig config) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + config.port();
    }

    /**
     * The parts, on the open database {@code db}; sweeps the blobs a crash left unreferenced first.
     * The caller closes {@link CommandRegistry.Parts#commits} when it stops (or fails to start).
     *
     * @param workers the pool for the blocking work of commands
     * @param bulk    the pool for the bytes of big transfers
     * @throws IOException  when the blob directory cannot be made or swept
     * @throws SQLException when the database cannot be read
     */
    /**
     * The content store the configuration names: the data directory's {@code blobs/}, or an S3
     * bucket, checked now (the server refuses to start when it cannot be reached).
     *
     * @throws dev.netdisk.server.store.BlobStoreUnavailableException when the S3 store is unreachable,
     *         its bucket missing, or the credentials refused
     */
    static BlobStore blobStore(ServerConfig config, Database db) throws IOException {
        if (config.blobStore() == null) {
            return new LocalBlobStore(config.dataDir());
        }
        BlobStore s3 = S3BlobStore.connect(S3Location.parse(config.blobStore()), null, db,
                config.dataDir().resolve("partial"));
        LOG.log(System.Logger.Level.INFO, () -> "file content in " + s3.describe());
        return s3;
    }

    static CommandRegistry.Parts parts(ServerConfig config, Limits limits, Database db, Clock clock,
                                       ExecutorService workers, ExecutorService bulk) throws IOException, SQLException {
        // Encryption at rest: every file's content under its own data key, wrapped by this key.
        MasterKey master = MasterKey.loadOrCreate(config.masterKey());
        DataKeys dataKeys = new DataKeys(db, master);
        dataKeys.checkMasterKeyHoldsAll();
        FileTree tree = new FileTree(db, clock, dataKeys);
        UserStore users = new UserStore(db, tree, new PasswordHasher(config.passwordIterations()), clock);
        Presence presence = new Presence();
        FriendStore friends = new FriendStore(db, clock);
        GroupStore groups = new GroupStore(db, clock);
        MessageStore messages = new MessageStore(db, clock, config.storage().chatHistoryBytes());
        String instance = ServerInstance.newId();
        // On PostgreSQL (several servers may share it): a PgEventBus, and presence recorded for the others.
        String databaseUrl = config.database() != null && !config.database().isEmpty() ? config.database()
                : "jdbc:sqlite:" + config.dataDir().resolve(Database.FILE_NAME);
        EventBus bus = EventBuses.forDatabase(databaseUrl, Database.credentials(databaseUrl, System.getenv()), instance,
                messages::recipientsAfter);
        ClusterPresence clusterPresence = bus.shared() ? new ClusterPresence(db::transaction, bus,
                serverName(config), clock, ClusterPresence.DEAD_AFTER) : null;
        ChatService chat = new ChatService(friends, groups, messages, presence, workers, bus, clusterPresence);
        presence.listen(chat);
        BlobStore blobs = blobStore(config, db);
        // Not the data keys on PostgreSQL: another server's upload in flight has its key and no row
        // referring to it yet. A key left by a crash there is a small row, harmless.
        int swept = blobs.sweep(tree.referencedBlobs(), PartialUploads.referencedBlobs(db)) + InlineBlobs.sweep(db)
                + (db.dialect() == Dialect.SQLITE ? DataKeys.sweep(db) : 0);
        if (swept > 0) {
            LOG.log(System.Logger.Level.INFO, () -> "removed " + swept + " unreferenced blobs left by a crash");
        }
        StoragePolicy storage = config.storage();
        Tickets tickets = new Tickets(new TicketRows(db), instance, clock, workers, config.uploadLease(),
                revocation -> bus.publish(ClusterEvent.revoke(instance, revocation)));
        Quotas quotas = new Quotas(db, storage.defaultQuotaBytes(), storage.maxEntries(), storage.chatHistoryBytes(),
                clock);
        PartialUploads partials = new PartialUploads(db, clock, storage.maxPartialUploads(),
                storage.maxPartialBytes(), blobId -> {
                    tickets.revocations().revokeUpload(blobId, "unfinished upload dropped: over the per-user cap of "
                            + storage.maxPartialUploads() + " kept uploads or " + storage.maxPartialBytes() + " bytes");
                    try {
                        blobs.deletePartial(blobId);
                    } catch (IOException e) {
                        // the start-up sweep removes what is left
                        LOG.log(System.Logger.Level.WARNING, "could not delete dropped partial upload " + blobId, e);
                    }
                }, tickets::isUploading, quotas);
        UploadCommits commits = new UploadCommits(tree, blobs, partials, quotas);
        TransferPools pools = new TransferPools(workers, bulk);
        return new CommandRegistry.Parts(config, clock, users, tree, blobs, partials,
                quotas, new Trash(db, blobs, clock, storage.trashTtl()), new FileEdits(db, quotas),
                new ShareGrants(db, clock), new ShareLinks(db, clock), tickets, presence, chat,
                friends, groups, messages,
                // chat-per-second = 0 means no limit: ChatCommand then skips the bucket.
                new RateLimiter<>(Math.max(1, limits.chatPerSecond()), limits.chatBurst(), System::nanoTime),
                new LoginThrottle(limits.loginFailuresBeforeDelay(), limits.maxLoginDelay(),
                        limits.loginFailuresBeforeLock(), limits.loginLockTime(), new LoginFailures(db),
                        clock::millis),
                new RateLimiter<>(limits.registrationsPerIpPerHour() / 3600.0,
                        Math.max(1, limits.registrationsPerIpPerHour()), System::nanoTime),
                commits, pools);
    }
}
