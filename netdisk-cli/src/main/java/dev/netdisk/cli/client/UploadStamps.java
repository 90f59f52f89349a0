package dev.netdisk.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a client remembers, per upload target, the local file it was sending when the upload was
 * interrupted: its path, size in bytes and modification time in milliseconds. The server resumes a
 * deferred-MD5 upload by path and size alone, so only the client can tell that the local file
 * changed meanwhile; {@link Transfers} then starts over instead of sending the rest and failing with
 * {@code 554} at the end. Implementations must be safe to call from several threads.
 */
public interface UploadStamps {

    /**
     * The local file's state when an upload started.
     *
     * @param announced the MD5 the upload announced up front, or {@code "-"} (deferred): a resume
     *                  must announce the same, or the server does not resume it
     */
    record Stamp(String local, long size, long mtimeMillis, String announced) {

        /** {@code file} as it is now, for a deferred upload. */
        static Stamp of(Path file) throws IOException {
            return new Stamp(file.toAbsolutePath().normalize().toString(), Files.size(file),
                    Files.getLastModifiedTime(file).toMillis(), "-");
        }

        /** Whether both describe the same local file in the same state (whatever was announced). */
        boolean sameFile(Stamp other) {
            return local.equals(other.local) && size == other.size && mtimeMillis == other.mtimeMillis;
        }

        Stamp announcing(String md5) {
            return new Stamp(local, size, mtimeMillis, md5);
        }
    }

    /** The stamp recorded for {@code key}, or {@code null}. */
    Stamp get(String key);

    /** Records {@code stamp} for {@code key} (an upload starts); a failure to record is ignored. */
    void put(String key, Stamp stamp);

    /** Forgets {@code key} (the upload finished, or failed for good). */
    void remove(String key);
}
