package dev.netdisk.cli.client;

/**
 * Your storage quota ({@code QUOTA}); all values in bytes.
 *
 * @param used  the sizes of every file you own, the trash included
 * @param trash the part of {@code used} in the trash
 * @param limit your quota
 * @param free  {@code limit - used}, never below 0
 */
public record Quota(long used, long trash, long limit, long free) {
}
