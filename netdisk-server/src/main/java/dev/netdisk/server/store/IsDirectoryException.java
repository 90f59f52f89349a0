package dev.netdisk.server.store;

import java.nio.file.FileSystemException;

/** A file operation named a directory (reply 550 "is a directory"). */
public final class IsDirectoryException extends FileSystemException {
    public IsDirectoryException(String path) {
        super(path);
    }
}
