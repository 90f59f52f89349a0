package dev.netdisk.cli.client;

import java.nio.file.Path;

/**
 * What a finished, verified transfer did.
 *
 * @param remotePath  the absolute remote path
 * @param localPath   the local file
 * @param size        the size of the whole file in bytes
 * @param md5         the verified MD5 of the whole file (32 lower-case hex digits)
 * @param offset      where this run started: {@code 0}, or the resume position
 */
public record TransferResult(String remotePath, Path localPath, long size, String md5, long offset) {

    /** The number of bytes this run moved over the network. */
    public long transferred() {
        return size - offset;
    }
}
