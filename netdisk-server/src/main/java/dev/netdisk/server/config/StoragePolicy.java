package dev.netdisk.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a user may store and how long deleted files are kept ({@code docs/PROTOCOL.md},
 * section "File management").
 *
 * @param defaultQuotaBytes the quota of a user without one of their own, in bytes: the sizes of
 *                          their files, live and in the trash, may not exceed it
 * @param trashTtl          how long a trashed item is kept before it is removed for good
 * @param maxPartialUploads unfinished uploads kept for resume per user; past it the oldest idle one
 *                          is dropped ({@code 0}: no limit)
 * @param maxPartialBytes   announced bytes of the unfinished uploads kept per user; past it the
 *                          oldest idle ones are dropped, never the newest ({@code 0}: no limit)
 * @param chatHistoryBytes  UTF-8 bytes of stored chat messages one user may have sent; past it
 *                          {@code CHAT} is refused ({@code 0}: no limit)
 * @param maxEntries        files and directories (trash included) one user may own ({@code 0}: no limit)
 */
public record StoragePolicy(long defaultQuotaBytes, Duration trashTtl, int maxPartialUploads, long maxPartialBytes,
                            long chatHistoryBytes, long maxEntries) {

    public static final int DEFAULT_MAX_PARTIAL_UPLOADS = 32;
    /** 16 GiB. */
    public static final long DEFAULT_MAX_PARTIAL_BYTES = 16L << 30;
    /** 64 MiB: about 16,000 messages of the longest kind, or a million short ones. */
    public static final long DEFAULT_CHAT_HISTORY_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;

    /** The given quota and trash time with the default per-user limits. */
    public StoragePolicy(long defaultQuotaBytes, Duration trashTtl) {
        this(defaultQuotaBytes, trashTtl, DEFAULT_MAX_PARTIAL_UPLOADS, DEFAULT_MAX_PARTIAL_BYTES,
                DEFAULT_CHAT_HISTORY_BYTES, DEFAULT_MAX_ENTRIES);
    }

    public StoragePolicy withUserLimits(int partialUploads, long partialBytes, long chatBytes, long entries) {
        return new StoragePolicy(defaultQuotaBytes, trashTtl, partialUploads, partialBytes, chatBytes, entries);
    }

    /** 10 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 10L << 30;

    /** 30 days. */
    public static final Duration DEFAULT_TRASH_TTL = Duration.ofDays(30);

    public static final StoragePolicy DEFAULTS = new StoragePolicy(DEFAULT_QUOTA_BYTES, DEFAULT_TRASH_TTL);

    public StoragePolicy {
        Objects.requireNonNull(trashTtl, "trashTtl");
        if (defaultQuotaBytes < 0) {
            throw new IllegalArgumentException("defaultQuotaBytes must not be negative: " + defaultQuotaBytes);
        }
        if (maxPartialUploads < 0 || maxPartialBytes < 0 || chatHistoryBytes < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("a per-user limit must not be negative");
        }
        if (trashTtl.isNegative()) {
            throw new IllegalArgumentException("trashTtl must not be negative: " + trashTtl);
        }
    }
}
