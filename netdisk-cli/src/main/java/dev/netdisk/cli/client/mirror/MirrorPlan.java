package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Status;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Planning a recursive transfer: walks the source tree and lists the target tree (one {@code LS}
 * per remote directory, whose entries carry size and MD5), makes the directories the target
 * lacks (empty ones too) and lists the files to look at, each with what the target has there.
 * A directory that cannot be made or read is reported to the tally; its files fail on their own.
 *
 * <p>Runs on the caller's thread, on the caller's control connection.
 *
 * @param jobs       the files, in no particular order
 * @param created    how many directories were made
 * @param remoteRoot the absolute remote directory
 * @param localRoot  the absolute local directory
 */
record MirrorPlan(List<MirrorJob> jobs, int created, String remoteRoot, Path localRoot) {

    /**
     * The plan of mirroring {@code localDir} into {@code remoteDir}; makes {@code remoteDir} and
     * the remote directories that are missing. Links are followed only with {@code followLinks};
     * each one left out is reported to the tally ({@link LocalTree}).
     *
     * @throws NoSuchFileException / NotDirectoryException if {@code localDir} is not a directory
     * @throws ReplyException if {@code remoteDir} cannot be made or listed
     */
    static MirrorPlan upload(NetdiskClient main, Path localDir, String remoteDir, boolean followLinks, MirrorTally tally)
            throws IOException {
        LocalTree tree = LocalTree.walk(localDir, followLinks, new LocalTree.Skips() {
            @Override
            public void skipped(Path path, String why) {
                tally.skippedLocal(path, why);
            }

            @Override
            public void unreadable(Path path, IOException e) {
                tally.directoryFailed(new FileOutcome(Status.FAILED, null, path, 0, 0, e));
            }
        });
        Path root = tree.root();
        List<Path> dirs = tree.dirs();
        List<Path> files = tree.files();
        String remoteRoot = main.files().makedir(remoteDir, true);
        Map<String, Entry> remote = remoteTree(main, remoteRoot);

        int created = 0;
        for (Path dir : dirs) {
            String rel = relative(root, dir);
            Entry there = remote.get(rel);
            if (there != null && there.isDirectory()) {
                continue;
            }
            // A file where the directory should be fails here, and every file below it fails on its own.
            try {
                main.files().makedir(RemotePath.join(remoteRoot, rel), true);
                created++;
            } catch (ReplyException e) {
                tally.directoryFailed(new FileOutcome(Status.FAILED, RemotePath.join(remoteRoot, rel), dir, 0, 0, e));
            }
        }
        List<MirrorJob> jobs = new ArrayList<>(files.size());
        for (Path file : files) {
            String rel = relative(root, file);
            jobs.add(new MirrorJob(RemotePath.join(remoteRoot, rel), file, Files.size(file), remote.get(rel)));
        }
        return new MirrorPlan(jobs, created, remoteRoot, root);
    }

    /**
     * The plan of mirroring {@code remoteDir} into {@code localDir}; makes {@code localDir} and
     * the local directories that are missing.
     *
     * @throws ReplyException 550 if {@code remoteDir} is missing, or is a file
     */
    static MirrorPlan download(NetdiskClient main, String remoteDir, Path localDir, MirrorTally tally) throws IOException {
        String remoteRoot = RemotePath.normalize(remoteDir.startsWith("/") ? remoteDir : RemotePath.join(main.cwd(), remoteDir));
        if (!main.files().stat(remoteRoot).isDirectory()) {
            throw new ReplyException(550, "not a directory: " + remoteRoot + " (download without -r takes one file)");
        }
        Map<String, Entry> remote = remoteTree(main, remoteRoot);
        Path root = localDir.toAbsolutePath().normalize();
        int created = 0;
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            created++;
        }
        List<MirrorJob> jobs = new ArrayList<>();
        for (Map.Entry<String, Entry> e : remote.entrySet()) {
            String rel = e.getKey();
            Path local = root.resolve(rel);
            String remotePath = RemotePath.join(remoteRoot, rel);
            if (e.getValue().isDirectory()) {
                if (!Files.isDirectory(local)) {
                    try {
                        Files.createDirectories(local);
                        created++;
                    } catch (IOException ex) {
                        tally.directoryFailed(new FileOutcome(Status.FAILED, remotePath, local, 0, 0, ex));
                    }
                }
            } else {
                jobs.add(new MirrorJob(remotePath, local, e.getValue().size(), e.getValue()));
            }
        }
        return new MirrorPlan(jobs, created, remoteRoot, root);
    }

    /** Every entry under {@code root}, keyed by its path relative to it, parents before children. */
    static Map<String, Entry> remoteTree(NetdiskClient main, String root) throws IOException {
        Map<String, Entry> tree = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.add("");
        while (!pending.isEmpty()) {
            String rel = pending.poll();
            for (Entry e : main.files().ls(rel.isEmpty() ? root : RemotePath.join(root, rel))) {
                String child = rel.isEmpty() ? e.name() : rel + "/" + e.name();
                tree.put(child, e);
                if (e.isDirectory()) {
                    pending.add(child);
                }
            }
        }
        return tree;
    }

    private static String relative(Path root, Path p) {
        return LocalTree.relative(root, p);
    }
}
