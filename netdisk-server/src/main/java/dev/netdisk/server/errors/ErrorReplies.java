package dev.netdisk.server.errors;

import dev.netdisk.protocol.BadPathException;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.store.IsDirectoryException;
import dev.netdisk.server.store.QuotaExceededException;
import dev.netdisk.server.store.ReadOnlyException;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.store.BlobStoreUnavailableException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.sql.SQLException;

/**
 * The one place that turns a handler's exception into its reply, so every command reports the
 * same failure the same way. Unexpected failures are logged with their cause and answered with
 * {@code 451} naming the kind of failure, never a bare code.
 */
public final class ErrorReplies {

    private static final System.Logger LOG = System.getLogger(ErrorReplies.class.getName());

    private ErrorReplies() {
    }

    /** The reply for {@code failure} thrown while executing {@code verb}. */
    public static Reply toReply(String verb, Throwable failure) {
        if (failure instanceof CommandException e) {
            return e.toReply();
        }
        if (failure instanceof BadPathException e) {
            return Reply.of(ReplyCode.NAME_NOT_ALLOWED, e.getReason() + ": " + e.getFile());
        }
        if (failure instanceof QuotaExceededException e) {
            return Reply.of(ReplyCode.EXCEEDED_STORAGE, e.getReason() + ": " + e.getFile());
        }
        if (failure instanceof ReadOnlyException e) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, e.getReason() + ": " + e.getFile());
        }
        if (failure instanceof DirectoryNotEmptyException e) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, "directory not empty: " + e.getFile());
        }
        if (failure instanceof NoSuchFileException e) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, "no such file or directory: " + e.getFile());
        }
        if (failure instanceof NotDirectoryException e) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, "not a directory: " + e.getFile());
        }
        if (failure instanceof IsDirectoryException e) {
            return Reply.of(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + e.getFile());
        }
        if (failure instanceof FileAlreadyExistsException e) {
            return Reply.of(ReplyCode.ALREADY_EXISTS, "already exists: " + e.getFile());
        }
        if (failure instanceof IntegrityException) {
            // Logged (one ERROR line naming the file and blob) where the file is known: Downloads.
            return Reply.of(ReplyCode.LOCAL_ERROR, "stored content failed its integrity check; nothing was sent:"
                    + " tell the server's operator");
        }
        if (failure instanceof BlobStoreUnavailableException e) {
            // One line, no stack trace: the operator needs the store and the reason, not our frames.
            LOG.log(System.Logger.Level.WARNING, verb + " failed: " + e.getMessage());
            return Reply.of(ReplyCode.LOCAL_ERROR, "local error in processing: the content store is unavailable;"
                    + " nothing was changed: try again later");
        }
        if (isOutOfSpace(failure)) {
            LOG.log(System.Logger.Level.WARNING, verb + " failed: the disk is full", failure);
            return Reply.of(ReplyCode.INSUFFICIENT_STORAGE, "insufficient storage: nothing was stored");
        }
        LOG.log(System.Logger.Level.ERROR, verb + " failed", failure);
        if (failure instanceof SQLException) {
            return Reply.of(ReplyCode.LOCAL_ERROR, "local error in processing: database failure; nothing was changed");
        }
        if (failure instanceof IOException) {
            return Reply.of(ReplyCode.LOCAL_ERROR, "local error in processing: I/O failure; nothing was changed");
        }
        return Reply.of(ReplyCode.LOCAL_ERROR, "local error in processing: " + failure.getClass().getSimpleName());
    }

    /** Whether {@code failure} (or a cause) says the disk or the database is full (ENOSPC, EDQUOT, SQLITE_FULL). */
    static boolean isOutOfSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded")
                    || m.contains("database or disk is full"))) {
                return true;
            }
        }
        return false;
    }
}
