package dev.netdisk.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * File content on local disk, named by blob id, never by user path.
 *
 * <p>Layout under the data directory: {@code blobs/ab/abcdef...} holds complete, verified blobs
 * (fanned out by the first two hex digits); {@code partial/abcdef...} holds uploads in progress.
 * A blob moves from {@code partial/} to {@code blobs/} by an atomic rename once its bytes are
 * durable ({@link #promote}).
 *
 * <p>Thread-safe; blocking (disk): never call from the selector thread.
 */
public final class BlobStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path blobs;
    private final Path partials;

    /** Opens the store under {@code dataDir}, creating its directories. */
    public BlobStore(Path dataDir) throws IOException {
        this.blobs = Files.createDirectories(dataDir.resolve("blobs"));
        this.partials = Files.createDirectories(dataDir.resolve("partial"));
    }

    /** A new random blob id: 32 hex digits. */
    public String newBlobId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** Where the bytes of a complete blob are. */
    public Path blobPath(String blobId) {
        return blobs.resolve(blobId.substring(0, 2)).resolve(blobId);
    }

    /** Where the bytes of an upload in progress are. */
    public Path partialPath(String blobId) {
        return partials.resolve(blobId);
    }

    /**
     * Moves a partial blob, whose bytes the caller has already forced to disk, into place, and
     * syncs the directory so the rename itself survives a crash.
     */
    public void promote(String blobId) throws IOException {
        Path target = blobPath(blobId);
        Path dir = Files.createDirectories(target.getParent());
        Files.move(partialPath(blobId), target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
    }

    /** Deletes a complete blob; a missing one is not an error. */
    public void delete(String blobId) throws IOException {
        Files.deleteIfExists(blobPath(blobId));
    }

    /** Deletes a partial blob; a missing one is not an error. */
    public void deletePartial(String blobId) throws IOException {
        Files.deleteIfExists(partialPath(blobId));
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for sync; the rename is still atomic there.
        }
    }
}
