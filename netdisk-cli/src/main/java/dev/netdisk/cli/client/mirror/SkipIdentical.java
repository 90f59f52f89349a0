package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.HashingCopy;
import dev.netdisk.cli.client.TransferCancelledException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The one place that decides whether a file of a recursive transfer or a sync is already identical
 * on the other side, and so is skipped. As rsync and rclone do: the same size and the same
 * modification time to the second is identical, without reading the file; the same size and
 * another time is decided by the MD5 (the remote one from the listing, the local file hashed);
 * with {@code checksum} ({@code --checksum}) the MD5 decides whenever the sizes match. Stateless.
 */
final class SkipIdentical {

    private SkipIdentical() {
    }

    /** Upload: whether the remote entry already holds {@code content} (read whole, MD5 known). */
    static boolean there(MirrorJob job, BatchConnection.Content content, boolean checksum) throws IOException {
        return same(job.existing(), content.bytes().length, modified(job.local()), checksum, content::md5);
    }

    /**
     * Upload: whether the remote entry already holds the local file, hashing it only if need be.
     *
     * @throws TransferCancelledException {@code cancel} was cancelled while hashing
     */
    static boolean there(MirrorJob job, Cancellation cancel, boolean checksum) throws IOException {
        return same(job.existing(), job.size(), modified(job.local()), checksum, () -> md5(job.local(), cancel));
    }

    /**
     * Download: whether the local file already is the remote one. A file found identical by its
     * MD5 gets the remote time, so that the next run needs no hashing.
     *
     * @param cancel stops the hashing, or {@code null}
     * @throws FileAlreadyExistsException a directory is where the file would go
     */
    static boolean here(MirrorJob job, Cancellation cancel, boolean checksum) throws IOException {
        Path local = job.local();
        if (Files.isDirectory(local)) {
            throw new FileAlreadyExistsException(local.toString(), null, "a directory is in the way");
        }
        if (!identicalLocal(job.existing(), local, checksum, cancel)) {
            return false;
        }
        long remote = job.existing().mtime().toEpochMilli();
        if (!sameSecond(remote, modified(local))) {
            Files.setLastModifiedTime(local, FileTime.fromMillis(remote));
        }
        return true;
    }

    /** Whether the regular file {@code local} already is {@code there}; changes nothing (a dry run). */
    static boolean identicalLocal(Entry there, Path local, boolean checksum, Cancellation cancel) throws IOException {
        return Files.isRegularFile(local)
                && same(there, Files.size(local), modified(local), checksum, () -> md5(local, cancel));
    }

    /**
     * The rule itself: the entry is a file of this size, and has this time to the second (unless
     * {@code checksum}) or this MD5 (asked for only then).
     */
    private static <E extends Exception> boolean same(Entry there, long size, long modifiedMillis, boolean checksum,
                                                      Md5Source<E> md5) throws E {
        if (there == null || there.isDirectory() || there.size() != size) {
            return false;
        }
        if (!checksum && sameSecond(there.mtime().toEpochMilli(), modifiedMillis)) {
            return true;
        }
        return there.md5() != null && there.md5().equals(md5.get());
    }

    /** Whether two times fall in the same second: the precision rsync compares and every file system keeps. */
    static boolean sameSecond(long aMillis, long bMillis) {
        return Math.floorDiv(aMillis, 1000) == Math.floorDiv(bMillis, 1000);
    }

    private static long modified(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toMillis();
    }

    /** The local side's MD5, computed only when the rule needs it. */
    private interface Md5Source<E extends Exception> {
        String get() throws E;
    }

    private static String md5(Path file, Cancellation cancel) throws IOException {
        return HashingCopy.md5(file, cancel);
    }
}
