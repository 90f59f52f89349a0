package dev.netdisk.server.transfer;

import dev.netdisk.server.protocol.Reply;
import dev.netdisk.server.protocol.ReplyCode;
import dev.netdisk.server.store.IsDirectoryException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** The final reply of a transfer that failed on the server side. */
final class TransferErrors {
    private static final System.Logger LOG = System.getLogger(TransferErrors.class.getName());

    private TransferErrors() {
    }

    static Reply toReply(Exception e) {
        if (e instanceof FileAlreadyExistsException x) {
            return Reply.of(ReplyCode.ALREADY_EXISTS, "already exists: " + x.getFile());
        }
        if (e instanceof IsDirectoryException x) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + x.getFile());
        }
        if (e instanceof NoSuchFileException x) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, "no such directory: " + x.getFile());
        }
        if (e instanceof IOException && isOutOfSpace(e)) {
            return Reply.of(ReplyCode.INSUFFICIENT_STORAGE, "insufficient storage: nothing was stored");
        }
        LOG.log(System.Logger.Level.ERROR, "transfer failed", e);
        return Reply.of(ReplyCode.LOCAL_ERROR, "local error in processing: " + e.getClass().getSimpleName()
                + "; nothing was stored");
    }

    static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
