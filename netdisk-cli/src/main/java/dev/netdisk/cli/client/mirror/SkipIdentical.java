package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.HashingCopy;
import dev.netdisk.cli.client.TransferCancelledException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that decides whether a file of a recursive transfer is already identical on the
 * other side (same size and MD5) and so is skipped. The remote side's MD5 comes from the listing;
 * the local side is hashed only when the sizes match. Stateless.
 */
final class SkipIdentical {

    private SkipIdentical() {
    }

    /** Upload: whether the remote entry already holds {@code content} (read whole, MD5 known). */
    static boolean there(MirrorJob job, BatchConnection.Content content) {
        return same(job.existing(), content.bytes().length, content::md5);
    }

    /**
     * Upload: whether the remote entry already holds the local file, hashing it if the sizes match.
     *
     * @throws TransferCancelledException {@code cancel} was cancelled while hashing
     */
    static boolean there(MirrorJob job, Cancellation cancel) throws IOException {
        return same(job.existing(), job.size(), () -> md5(job.local(), cancel));
    }

    /**
     * Download: whether the local file already has the remote file's size and MD5.
     *
     * @param cancel stops the hashing, or {@code null}
     * @throws FileAlreadyExistsException a directory is where the file would go
     */
    static boolean here(MirrorJob job, Cancellation cancel) throws IOException {
        Path local = job.local();
        if (Files.isDirectory(local)) {
            throw new FileAlreadyExistsException(local.toString(), null, "a directory is in the way");
        }
        return Files.isRegularFile(local) && same(job.existing(), Files.size(local), () -> md5(local, cancel));
    }

    /** The rule itself: the entry has this size and an MD5, and it is this one (asked for only then). */
    private static <E extends Exception> boolean same(Entry there, long size, Md5Source<E> md5) throws E {
        return there != null && there.size() == size && there.md5() != null && there.md5().equals(md5.get());
    }

    /** The local side's MD5, computed only once the sizes match. */
    private interface Md5Source<E extends Exception> {
        String get() throws E;
    }

    private static String md5(Path file, Cancellation cancel) throws IOException {
        return HashingCopy.md5(file, cancel);
    }
}
