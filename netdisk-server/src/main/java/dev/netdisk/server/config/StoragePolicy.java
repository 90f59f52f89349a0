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
 */
public record StoragePolicy(long defaultQuotaBytes, Duration trashTtl) {

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
        if (trashTtl.isNegative()) {
            throw new IllegalArgumentException("trashTtl must not be negative: " + trashTtl);
        }
    }
}
