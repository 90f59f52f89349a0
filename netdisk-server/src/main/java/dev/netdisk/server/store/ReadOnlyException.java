package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.FileSystemException;
import java.util.List;

/**
 * A change was asked for in the read-only {@code /shared} view (reply 550 "read-only"): shares
 * never grant writes, and the name {@code /shared} is reserved.
 */
public final class ReadOnlyException extends FileSystemException {

    public ReadOnlyException(RemotePath path) {
        super(path.toString(), null, reason(path));
    }

    private static String reason(RemotePath path) {
        List<String> names = path.names();
        return names.size() >= 2 ? "read-only: shared by " + names.get(1)
                : "read-only: /" + FileTree.SHARED_VIEW + " is the view of what friends share with you";
    }
}
