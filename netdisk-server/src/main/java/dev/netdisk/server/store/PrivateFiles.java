package dev.netdisk.server.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the data directory's files readable by the server's user only (0700 directories, 0600
 * files) on POSIX systems; elsewhere the platform's defaults apply.
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
        return POSIX ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY))
                : Files.createDirectories(dir);
    }

    /** The attributes for a new private file (mode 0600), for {@code FileChannel.open}. */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Makes an existing file private (mode 0600); a missing file is ignored. */
    public static void restrict(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}
