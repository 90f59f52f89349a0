package dev.netdisk.cli.client;

/**
 * The answer to {@code QUOTA} (PROTOCOL.md section 8), in bytes.
 *
 * @param used  every file you own, the trash included
 * @param trash the part of {@code used} that is in the trash
 * @param limit your quota
 * @param free  {@code limit - used}, never below 0
 */
public record Quota(long used, long trash, long limit, long free) {
}
