package dev.netdisk.cli.client;

/**
 * The size of a tree, as {@code DU} or {@code COPY} report it.
 *
 * @param path  the absolute path of the tree's top
 * @param size  the bytes of all files in it
 * @param files the number of files
 * @param dirs  the number of directories, the top one included
 */
public record Usage(String path, long size, long files, long dirs) {
}
