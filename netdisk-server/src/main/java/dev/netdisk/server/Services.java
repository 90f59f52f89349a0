package dev.netdisk.server;

import dev.netdisk.server.config.ServerConfig;

import dev.netdisk.server.auth.LoginThrottle;
import dev.netdisk.server.auth.RateLimiter;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.UserStore;
import dev.netdisk.server.transfer.Tickets;
import dev.netdisk.server.transfer.UploadCommits;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * The server's shared parts, handed to command handlers and transfers. Every part is thread-safe.
 *
 * @param chatRate      chat messages per user
 * @param loginThrottle failed logins per user name and address
 * @param registrations new accounts per address
 * @param workers the bounded pool for blocking work of commands (JDBC, disk); never the selector thread
 * @param bulk    the bounded pool for the bytes of big transfers (hashing and writing uploads,
 *                sending downloads; see {@link #transferPool}): its threads have the lowest
 *                priority, so commands and replies run ahead of bulk bytes when the CPUs are busy
 *                (with -XX:ThreadPriorityPolicy=1)
 * @param commits the last step of every upload: durable, then visible, committed in groups
 */
public record Services(
        ServerConfig config,
        Clock clock,
        Database database,
        UserStore users,
        FileTree tree,
        BlobStore blobs,
        PartialUploads partials,
        Tickets tickets,
        Presence presence,
        ChatService chat,
        RateLimiter<Long> chatRate,
        LoginThrottle loginThrottle,
        RateLimiter<String> registrations,
        ExecutorService workers,
        ExecutorService bulk,
        UploadCommits commits) {

    /** Transfers of at least this many bytes run on {@link #bulk}; smaller ones on {@link #workers}. */
    public static final long BULK_MIN_BYTES = 8L << 20;

    /**
     * Where the byte work of a transfer of {@code bytes} runs: {@link #bulk} for a big one; the
     * workers for a small one, which is part of a request's round trip, not bulk: at nice 10 the
     * sends of a `download -r` of small files waited in the run queue behind the client's own
     * threads (1.5 cores' worth of waiting in a profile).
     */
    public java.util.concurrent.Executor transferPool(long bytes) {
        return bytes >= BULK_MIN_BYTES ? bulk : workers;
    }
}
