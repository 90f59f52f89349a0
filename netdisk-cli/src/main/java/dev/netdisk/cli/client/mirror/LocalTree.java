package dev.netdisk.cli.client.mirror;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A local source tree as a recursive upload or a sync sees it: its directories and regular files.
 * Symbolic links are followed only when asked ({@code -L}); otherwise each one, and each link that
 * cannot be followed (dangling, or a loop), is reported to {@code skipped} with the reason, never
 * dropped without a word. Sockets, FIFOs and devices are reported the same way. Stateless.
 *
 * @param root  the absolute, normalized root
 * @param dirs  the directories below {@code root} (not itself), parents before children
 * @param files the regular files (through a link when following), in walk order
 */
record LocalTree(Path root, List<Path> dirs, List<Path> files) {

    /** Hears about what the walk leaves out, and about what it cannot read. */
    interface Skips {
        /** {@code path} is not sent: a link not followed, a dangling link, a loop, or not a regular file. */
        void skipped(Path path, String why);

        /** {@code path} could not be read (its files, if a directory, are missing from the tree). */
        void unreadable(Path path, IOException e);
    }

    /**
     * Walks {@code dir}.
     *
     * @throws NoSuchFileException / NotDirectoryException if {@code dir} is not a directory
     */
    static LocalTree walk(Path dir, boolean followLinks, Skips skips) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw Files.exists(root) ? new NotDirectoryException(root.toString()) : new NoSuchFileException(root.toString());
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Set<FileVisitOption> options = followLinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
                : EnumSet.noneOf(FileVisitOption.class);
        Files.walkFileTree(root, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(root)) {
                    dirs.add(d);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                } else if (attrs.isSymbolicLink()) {
                    // Not followed, or (with -L) its target is missing: the walker hands us the link itself.
                    skips.skipped(file, followLinks ? "dangling symbolic link" : "symbolic link (-L follows links)");
                } else if (!attrs.isDirectory()) {
                    skips.skipped(file, "not a regular file");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (e instanceof FileSystemLoopException) {
                    skips.skipped(file, "symbolic link loop");
                } else {
                    skips.unreadable(file, e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new LocalTree(root, dirs, files);
    }

    /** The remote form of a local path below {@code root}: {@code /}-separated, in Unicode NFC as the server stores names. */
    static String relative(Path root, Path p) {
        List<String> parts = new ArrayList<>();
        for (Path part : root.relativize(p)) {
            parts.add(Normalizer.normalize(part.toString(), Normalizer.Form.NFC));
        }
        return String.join("/", parts);
    }
}
