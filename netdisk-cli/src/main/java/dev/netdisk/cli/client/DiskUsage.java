package dev.netdisk.cli.client;

/**
 * The answer to {@code DU} (PROTOCOL.md section 8): the total of a tree.
 *
 * @param size  bytes of all its files
 * @param files how many files
 * @param dirs  how many directories, the tree's own root included
 * @param path  the tree's absolute path
 */
public record DiskUsage(long size, long files, long dirs, String path) {
}
