package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code sync} changes beyond a recursive transfer: the plan of what the target has that the
 * source lacks (deleted: to the server's trash on the remote side, for good on the local side) and,
 * for {@code --dry-run}, what would be sent. The copying itself is {@link RecursiveTransfer}'s.
 *
 * <p>A path whose type differs on the two sides (a file where the source has a directory, or the
 * reverse) is deleted from the target and then sent. Deletions are planned top-down: a directory
 * the source lacks is deleted whole, not file by file. On the local side a {@code NAME.part} of a
 * file the source has is kept, so an interrupted download still resumes; symbolic links in a
 * local target are never followed (an extra one is deleted as a link). At the remote root the
 * {@code /shared} view is never touched.
 *
 * <p>Stateless; blocking, on the caller's control connection.
 */
public final class Sync {

    /** A change to the target, by its path relative to the target's root ({@code /}-separated). */
    public record Change(String path, boolean directory, long size) {
    }

    /**
     * A sync's plan.
     *
     * @param remoteRoot the absolute remote directory
     * @param localRoot  the absolute local directory
     * @param sends      files (and directories) the target lacks or holds differently; in the
     *                   order of their paths; only {@code compare}d plans tell identical files apart
     * @param deletes    what the target has and the source lacks, top-most first
     * @param identical  files already the same on both sides (0 unless compared)
     */
    public record Plan(String remoteRoot, Path localRoot, List<Change> sends, List<Change> deletes, int identical) {
    }

    private Sync() {
    }

    /**
     * The plan of making {@code remoteDir} equal to {@code localDir}.
     *
     * @param compare tell identical files from changed ones as a transfer will ({@code --dry-run};
     *                {@link SkipIdentical}); otherwise {@link Plan#sends} lists every file present
     *                on both sides as well
     * @param checksum with {@code compare}: compare MD5s even when size and time match
     * @param skips   hears of the links and special files left out ({@link LocalTree})
     * @throws java.nio.file.NoSuchFileException if {@code localDir} is not a directory
     */
    public static Plan planUpload(NetdiskClient c, Path localDir, String remoteDir, boolean followLinks,
                                  boolean compare, boolean checksum, Cancellation cancel, LocalTreeSkips skips)
            throws IOException {
        LocalTree tree = LocalTree.walk(localDir, followLinks, new LocalTree.Skips() {
            @Override
            public void skipped(Path path, String why) {
                skips.skipped(path, why);
            }

            @Override
            public void unreadable(Path path, IOException e) {
                skips.unreadable(path, e);
            }
        });
        String remoteRoot = absolute(c, remoteDir);
        Map<String, Entry> remote = remoteTreeOrEmpty(c, remoteRoot);
        Map<String, Path> local = new TreeMap<>();
        tree.dirs().forEach(d -> local.put(LocalTree.relative(tree.root(), d), null));
        tree.files().forEach(f -> local.put(LocalTree.relative(tree.root(), f), f));

        List<Change> deletes = new ArrayList<>();
        String deletedDir = null;
        for (Map.Entry<String, Entry> e : remote.entrySet()) {
            String rel = e.getKey();
            if (deletedDir != null && rel.startsWith(deletedDir + "/") || remoteRoot.equals("/") && rel.equals("shared")) {
                continue;
            }
            boolean remoteDirectory = e.getValue().isDirectory();
            boolean present = local.containsKey(rel);
            if (!present || (local.get(rel) == null) != remoteDirectory) {
                deletes.add(new Change(rel, remoteDirectory, e.getValue().size()));
                deletedDir = remoteDirectory ? rel : deletedDir;
            }
        }
        List<Change> sends = new ArrayList<>();
        int identical = 0;
        for (Map.Entry<String, Path> l : local.entrySet()) {
            Entry there = remote.get(l.getKey());
            Path file = l.getValue();
            if (file == null) {
                if (there == null || !there.isDirectory()) {
                    sends.add(new Change(l.getKey(), true, 0));
                }
                continue;
            }
            long size = Files.size(file);
            if (compare && SkipIdentical.identicalLocal(there, file, checksum, cancel)) {
                identical++;
            } else {
                sends.add(new Change(l.getKey(), false, size));
            }
        }
        return new Plan(remoteRoot, tree.root(), sends, deletes, identical);
    }

    /** What a walk left out; the same as {@link LocalTree}'s, public for the command. */
    public interface LocalTreeSkips {
        void skipped(Path path, String why);

        void unreadable(Path path, IOException e);
    }

    /**
     * The plan of making {@code localDir} equal to {@code remoteDir}; {@code localDir} may be missing.
     *
     * @param compare  as for {@link #planUpload}
     * @param checksum as for {@link #planUpload}
     * @throws ReplyException 550 if {@code remoteDir} is missing or a file
     */
    public static Plan planDownload(NetdiskClient c, String remoteDir, Path localDir, boolean compare,
                                    boolean checksum, Cancellation cancel) throws IOException {
        String remoteRoot = absolute(c, remoteDir);
        if (!c.files().stat(remoteRoot).isDirectory()) {
            throw new ReplyException(550, "not a directory: " + remoteRoot + " (sync makes one directory equal to another)");
        }
        Map<String, Entry> remote = MirrorPlan.remoteTree(c, remoteRoot);
        Path root = localDir.toAbsolutePath().normalize();
        Map<String, Boolean> local = localTarget(root);  // rel -> is a directory (links count as files)

        List<Change> deletes = new ArrayList<>();
        String deletedDir = null;
        for (Map.Entry<String, Boolean> l : local.entrySet()) {
            String rel = l.getKey();
            if (deletedDir != null && rel.startsWith(deletedDir + "/")) {
                continue;
            }
            Entry there = remote.get(rel);
            boolean keptPart = there == null && rel.endsWith(".part") && !l.getValue()
                    && remote.containsKey(rel.substring(0, rel.length() - 5))
                    && !remote.get(rel.substring(0, rel.length() - 5)).isDirectory();
            if (keptPart) {
                continue;
            }
            if (there == null || there.isDirectory() != l.getValue()) {
                deletes.add(new Change(rel, l.getValue(), 0));
                deletedDir = l.getValue() ? rel : deletedDir;
            }
        }
        List<Change> sends = new ArrayList<>();
        int identical = 0;
        for (Map.Entry<String, Entry> r : remote.entrySet()) {
            Entry e = r.getValue();
            Path here = root.resolve(r.getKey());
            if (e.isDirectory()) {
                if (!Files.isDirectory(here, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    sends.add(new Change(r.getKey(), true, 0));
                }
                continue;
            }
            // A link is replaced, never followed: only a regular file can be identical.
            if (compare && Files.isRegularFile(here, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && SkipIdentical.identicalLocal(e, here, checksum, cancel)) {
                identical++;
            } else {
                sends.add(new Change(r.getKey(), false, e.size()));
            }
        }
        return new Plan(remoteRoot, root, sends, deletes, identical);
    }

    /**
     * Moves one planned deletion on the remote side to the trash ({@code RM -r}).
     *
     * @return the trash id
     * @throws ReplyException as {@link dev.netdisk.cli.client.RemoteFiles#rm}
     */
    public static long deleteRemote(NetdiskClient c, Plan plan, Change change) throws IOException {
        return c.files().rm(RemotePath.join(plan.remoteRoot(), change.path()), true);
    }

    /**
     * Deletes one planned deletion on the local side, a directory with everything in it; links are
     * deleted as links, never followed.
     */
    public static void deleteLocal(Plan plan, Change change) throws IOException {
        Path target = plan.localRoot().resolve(change.path());
        if (!change.directory()) {
            Files.deleteIfExists(target);
            return;
        }
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Every path below {@code root} (none if it is missing), links not followed, keyed by relative path. */
    private static Map<String, Boolean> localTarget(Path root) throws IOException {
        Map<String, Boolean> found = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    found.put(LocalTree.relative(root, dir), true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                found.put(LocalTree.relative(root, file), false);
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    private static Map<String, Entry> remoteTreeOrEmpty(NetdiskClient c, String remoteRoot) throws IOException {
        try {
            if (!c.files().stat(remoteRoot).isDirectory()) {
                throw new ReplyException(550, "not a directory: " + remoteRoot);
            }
        } catch (ReplyException e) {
            if (e.code() == 550 && !e.getMessage().contains("not a directory")) {
                return new TreeMap<>();  // the target does not exist yet: nothing to delete
            }
            throw e;
        }
        return MirrorPlan.remoteTree(c, remoteRoot);
    }

    private static String absolute(NetdiskClient c, String remote) {
        return RemotePath.normalize(remote.startsWith("/") ? remote : RemotePath.join(c.cwd(), remote));
    }
}
