package dev.netdisk.protocol;

import java.nio.file.FileSystemException;

/** A client's path is not allowed: a bad name, too long, or escaping the user's root (reply 553). */
public final class BadPathException extends FileSystemException {
    public BadPathException(String path, String reason) {
        super(path, null, reason);
    }
}
