package dev.netdisk.server.store;

/**
 * One entry of the file tree, as stored in the {@code nodes} table.
 *
 * @param id          the node id
 * @param parentId    the parent's id; {@code 0} for a root
 * @param name        the name ({@code ""} for a root)
 * @param directory   whether it is a directory
 * @param size        the file size in bytes ({@code 0} for a directory)
 * @param md5         32 lower-case hex digits; {@code null} for a directory
 * @param blobId      the blob holding the bytes; {@code null} for a directory
 * @param mtimeMillis the last modification, milliseconds since the epoch
 */
public record Node(long id, long parentId, String name, boolean directory, long size, String md5,
                   String blobId, long mtimeMillis) {
}
