package dev.netdisk.server.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Creates the files of the server and its admin commands (data directory, log, pid file, backups)
 * readable by the server's user only, 0700 directories and 0600 files, on POSIX systems; elsewhere
 * the platform's defaults apply.
 *
 * <p>The mode given at creation passes through the process's umask, which can only take bits
 * away; the mode is then set explicitly too, so the result is exactly 0600/0700 whatever the umask.
 * Files and directories that already exist keep their mode (an operator's choice), except where a
 * caller {@link #restrict}s them.
 */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents with mode 0700; returns {@code dir}. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIRECTORY));
                Files.setPosixFilePermissions(p, DIRECTORY);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                // made by someone else meanwhile: theirs
            }
        }
        return dir;
    }

    /** Creates the parent directories of {@code file} (0700) when it has any missing. */
    public static void createParents(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
    }

    /** The attributes for a new private file (mode 0600), for {@code FileChannel.open}. */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /**
     * Opens {@code file} for appending, creating it with mode 0600 when missing (an existing file
     * keeps its mode).
     */
    public static OutputStream append(Path file) throws IOException {
        boolean existed = Files.exists(file);
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), fileAttributes());
        if (!existed) {
            restrict(file);
        }
        return Channels.newOutputStream(channel);
    }

    /** Creates {@code file}, which must not exist, with mode 0600 and opens it for writing. */
    public static OutputStream createNew(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                fileAttributes());
        restrict(file);
        return Channels.newOutputStream(channel);
    }

    /** Copies {@code from} to the new file {@code to} (which must not exist), created with mode 0600. */
    public static void copyNew(Path from, Path to) throws IOException {
        try (OutputStream out = createNew(to)) {
            Files.copy(from, out);
        }
    }

    /** Makes an existing file private (mode 0600); a missing file is ignored. */
    public static void restrict(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Makes an existing directory private (mode 0700). */
    public static void restrictDirectory(Path dir) throws IOException {
        if (POSIX && Files.isDirectory(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }
}
