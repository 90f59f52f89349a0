package dev.netdisk.server.ops;

import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock that makes one data directory belong to one server: an OS file lock
 * ({@code fcntl}/{@code flock} via {@link FileChannel#tryLock()}) on {@code DATA_DIR/lock}, held
 * for the life of the server. The OS releases it when the process dies, however it dies, so a stale
 * lock file never blocks a restart. The file also holds the owner's pid, for the error message.
 *
 * <p>Thread-safe to close; acquire once per server.
 */
public final class DataDirLock implements AutoCloseable {

    /** The lock file's name in the data directory. */
    public static final String FILE_NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another server in this one) holds the data directory. */
    public static final class LockedException extends IOException {
        LockedException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of {@code dataDir} (which must exist) without waiting.
     *
     * @throws LockedException when another server holds it
     * @throws IOException     when the lock file cannot be created (for instance, a read-only directory)
     */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PrivateFiles.fileAttributes());
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String owner = "";
            try {
                owner = Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException ignored) {
                // the message does without the pid
            }
            channel.close();
            throw new LockedException("data directory " + dataDir.toAbsolutePath() + " is in use by another netdisk-server"
                    + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; one data directory belongs to one server");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new DataDirLock(channel, lock);
    }

    /**
     * Whether some process holds the lock of {@code dataDir} right now. Tries a shared lock and
     * lets go at once, so it needs only read access to the lock file.
     *
     * @throws IOException when the lock file exists but cannot be read (another user's data
     *                     directory): then nobody can tell from here
     */
    public static boolean isHeld(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        // Not Files.exists: it says false for a directory we may not look into.
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        try (channel) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Releases the lock. The file stays: deleting it would race with a server starting. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
