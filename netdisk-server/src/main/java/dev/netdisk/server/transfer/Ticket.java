package dev.netdisk.server.transfer;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.PartialUploads.Partial;
import dev.netdisk.server.store.User;
import java.time.Instant;

/** What a data connection may do, as granted by {@code UPLOAD}, {@code DOWNLOAD} or {@code BATCH}. */
public sealed interface Ticket {

    User user();

    RemotePath path();

    /** Where the bytes start, in bytes from the beginning of the file. */
    long offset();

    Instant expiresAt();

    /**
     * An upload of {@code size} bytes with MD5 {@code md5}, resuming at {@code offset} into the
     * bytes kept in {@code partial}.
     *
     * @param md5 32 lower-case hex digits, or {@code null} when the client sends the MD5 as a
     *            trailer line after the bytes
     * @param mtimeMillis the file's modification time from {@code mtime=}, or {@code null}: the commit's
     */
    record Upload(User user, RemotePath path, long size, String md5, Long mtimeMillis, long offset, boolean overwrite,
                  Partial partial, Instant expiresAt) implements Ticket {
    }

    /**
     * A batch data connection: many small uploads and downloads of {@code user}, each named on the
     * connection itself ({@link BatchTransfer}). Its path is the root and its offset 0.
     */
    record Batch(User user, Instant expiresAt) implements Ticket {
        @Override
        public RemotePath path() {
            return RemotePath.ROOT;
        }

        @Override
        public long offset() {
            return 0;
        }
    }

    /** A download of {@code node} from {@code offset} to its end. */
    record Download(User user, RemotePath path, Node node, long offset, Instant expiresAt) implements Ticket {
    }
}
