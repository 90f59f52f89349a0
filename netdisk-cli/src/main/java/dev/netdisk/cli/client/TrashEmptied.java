package dev.netdisk.cli.client;

/**
 * What {@code TRASH EMPTY} removed for good.
 *
 * @param items how many trash items
 * @param bytes what the quota got back
 */
public record TrashEmptied(long items, long bytes) {
}
