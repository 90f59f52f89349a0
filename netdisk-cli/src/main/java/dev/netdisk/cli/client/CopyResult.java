package dev.netdisk.cli.client;

/**
 * What a server-side {@code COPY} made (PROTOCOL.md section 8).
 *
 * @param size  bytes of all the copied files (no byte was copied on disk)
 * @param files how many files
 * @param dirs  how many directories, a copied directory itself included
 * @param from  the absolute source path
 * @param to    the absolute path of the copy
 */
public record CopyResult(long size, long files, long dirs, String from, String to) {
}
