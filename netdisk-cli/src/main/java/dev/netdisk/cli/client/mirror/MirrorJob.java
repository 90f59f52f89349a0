package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Entry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file of a recursive transfer: where it goes and what the other side already has there.
 *
 * @param remote   the absolute remote path
 * @param local    the local file
 * @param size     the source's size in bytes (the local file's for an upload, the remote one's for a download)
 * @param existing the remote entry at {@code remote} when the tree was listed, or {@code null}
 */
record MirrorJob(String remote, Path local, long size, Entry existing) {

    /** Whether a download's kept {@code NAME.part} is there: it resumes on the single-file path. */
    boolean hasPart() {
        return Files.exists(local.resolveSibling(local.getFileName() + ".part"));
    }

    /** This job with the size actually read (a file may have grown or shrunk since the walk). */
    MirrorJob withSize(long newSize) {
        return new MirrorJob(remote, local, newSize, existing);
    }
}
