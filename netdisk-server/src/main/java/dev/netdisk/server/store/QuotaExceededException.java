package dev.netdisk.server.store;

import java.nio.file.FileSystemException;

/**
 * A change would take a user past their quota (reply 552, RFC 959's "exceeded storage allocation").
 * Nothing was changed. A file-system exception like the others the tree throws, so one mapper
 * handles every failure of a file operation.
 */
public final class QuotaExceededException extends FileSystemException {

    private final long needed;
    private final long used;
    private final long limit;

    public QuotaExceededException(String path, long needed, long used, long limit) {
        super(path, null, "quota exceeded: " + needed + " bytes needed, " + Math.max(0, limit - used) + " of "
                + limit + " bytes free");
        this.needed = needed;
        this.used = used;
        this.limit = limit;
    }

    private QuotaExceededException(String path, String reason) {
        super(path, null, reason);
        this.needed = 0;
        this.used = 0;
        this.limit = 0;
    }

    /** {@code count} more entries would take the user past {@code max} files and directories. */
    public static QuotaExceededException entries(String path, long count, long current, long max) {
        return new QuotaExceededException(path, "too many entries: " + count + " more would make " + (current + count)
                + " files and directories, trash included (max " + max + ")");
    }

    public long needed() {
        return needed;
    }

    public long used() {
        return used;
    }

    public long limit() {
        return limit;
    }
}
