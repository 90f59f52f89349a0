package dev.netdisk.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartWriter;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * File content on local disk, named by blob id, never by user path: the default {@link BlobStore}.
 *
 * <p>Layout under the data directory: {@code blobs/ab/abcdef...} holds complete, verified blobs
 * (fanned out by the first two hex digits); {@code partial/abcdef...} holds uploads in progress.
 * A blob moves from {@code partial/} to {@code blobs/} by an atomic rename once its bytes are
 * durable ({@link #moveIntoPlace}, then a sync of its directory).
 *
 * <p>Thread-safe; blocking (disk): never call from the selector thread.
 */
public final class LocalBlobStore implements BlobStore {

    /** Buffer writes in flight at once, over all uploads; a disk takes few at a time anyway. */
    private static final int WRITERS = 4;
    private static final int WRITER_IDLE_SECONDS = 30;

    private final Path blobs;
    private final Path partials;
    /** Prefix directories known to be durable entries of {@code blobs/} since this start. */
    private final Set<Path> durablePrefixes = ConcurrentHashMap.newKeySet();
    /**
     * The threads that write big uploads' full buffers while their write lanes encrypt the next
     * ({@link PartWriter}); made when first needed, gone after {@value #WRITER_IDLE_SECONDS} s
     * without work. A write only waits for the disk, never for other work, so a write queued behind
     * others just waits longer.
     */
    private final ThreadPoolExecutor writes;

    /** Opens the store under {@code dataDir}, creating its directories. */
    public LocalBlobStore(Path dataDir) throws IOException {
        this.blobs = PrivateFiles.createDirectories(dataDir.resolve("blobs"));
        this.partials = PrivateFiles.createDirectories(dataDir.resolve("partial"));
        AtomicInteger threads = new AtomicInteger();
        this.writes = new ThreadPoolExecutor(WRITERS, WRITERS, WRITER_IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "netdisk-disk-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        writes.allowCoreThreadTimeOut(true);
    }

    /** Lets the writes under way finish (up to 10 seconds), then refuses more: they run on the caller. */
    @Override
    public void close() {
        writes.shutdown();
        try {
            writes.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where {@link LocalUpload}'s encrypter writes its full buffers. */
    Executor writes() {
        return writes;
    }

    @Override
    public long keptPlaintext(String blobId, long size) throws IOException {
        try {
            // Whole encrypted parts only: a part cut short is sent again (docs/PROTOCOL.md, UPLOAD).
            return DataKey.keptPlaintext(Files.size(partialPath(blobId)), size);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    @Override
    public BlobUpload openUpload(String blobId, DataKey key, long offset, long size) throws IOException {
        return LocalUpload.open(this, blobId, key, offset, size);
    }

    @Override
    public BlobSource open(String blobId) throws IOException {
        return BlobSource.of(FileChannel.open(blobPath(blobId), StandardOpenOption.READ));
    }

    @Override
    public String describe() {
        return blobs.toString();
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
     * Moves a partial blob, whose bytes the caller has already forced to disk, into place, without
     * syncing the directory: the caller must {@link #syncDirectory} the directory returned before
     * anything refers to the blob (group commit syncs each directory once for many blobs).
     *
     * @return the directory the blob is now in
     */
    public Path moveIntoPlace(String blobId) throws IOException {
        Path target = blobPath(blobId);
        Path dir = durablePrefix(target.getParent());
        Files.move(partialPath(blobId), target, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /**
     * The prefix directory {@code dir} under {@code blobs/}, created if missing, whose own entry in
     * {@code blobs/} is durable: syncing {@code dir} after a rename into it is not enough if a
     * crash can lose {@code dir} itself. Syncs {@code blobs/} once per prefix per start, under a
     * lock, so no blob can be committed into a prefix whose entry is still on its way to disk.
     */
    private Path durablePrefix(Path dir) throws IOException {
        if (durablePrefixes.contains(dir)) {
            return dir;
        }
        synchronized (durablePrefixes) {
            if (!durablePrefixes.contains(dir)) {
                PrivateFiles.createDirectories(dir);
                syncDirectory(blobs);
                durablePrefixes.add(dir);
            }
        }
        return dir;
    }

    /**
     * Deletes the blob and partial files that nothing refers to: what a crash between writing a
     * file and committing its metadata leaves behind. Only safe while no upload is running (at start).
     *
     * @param referencedBlobs   the blob ids the file tree refers to
     * @param referencedPartials the blob ids of the kept uploads
     * @return how many files were deleted
     */
    @Override
    public int sweep(Set<String> referencedBlobs, Set<String> referencedPartials) throws IOException {
        int deleted = 0;
        try (Stream<Path> files = Files.walk(blobs, 2)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!referencedBlobs.contains(p.getFileName().toString()) && Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        }
        try (Stream<Path> files = Files.list(partials)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!referencedPartials.contains(p.getFileName().toString()) && Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @Override
    public void delete(String blobId) throws IOException {
        Files.deleteIfExists(blobPath(blobId));
    }

    @Override
    public void deletePartial(String blobId) throws IOException {
        Files.deleteIfExists(partialPath(blobId));
    }

    /** Makes the entries of {@code dir} (a rename into it) durable: fsync of the directory. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for sync; the rename is still atomic there.
        }
    }
}
