package dev.netdisk.protocol;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends the chunks of one transfer to its partial file in order (an upload's on the server, a
 * download's {@code .part} file on the client), with direct I/O ({@code O_DIRECT},
 * {@link ExtendedOpenOption#DIRECT}) for a big transfer where the file system allows it, and
 * through the page cache otherwise.
 *
 * <p>Why direct I/O: a buffered write copies every byte into a fresh page-cache page, and that copy
 * costs as much CPU as the network receive, ten times more when the pages must first come back
 * from the hypervisor (a VM with free-page reporting, after any large delete; figures in
 * docs/PERFORMANCE.md, "Why the code is shaped this way"). The file's own fsync then writes the same bytes out again. A direct write
 * hands the buffer to the disk without the copy, on the write lane's worker, so it overlaps the
 * hashing, and the commit's fsync is left with the metadata. Object stores (MinIO) write big
 * objects the same way. The cost: the file is not in the page cache after the upload, so its first
 * download reads the disk.
 *
 * <p>Direct writes need the buffer's address, the file position and the length to be multiples of
 * the file system's block size ({@link java.nio.file.FileStore#getBlockSize}): {@link #allocate}
 * makes such buffers, every full chunk is such a length, and the unaligned tail of the last chunk
 * goes through the page cache. An upload that resumes at an unaligned offset, is smaller than
 * {@link #DIRECT_MIN_BYTES}, or lives on a file system that refuses {@code O_DIRECT} (tmpfs before
 * Linux 6.6) writes everything through the page cache.
 *
 * <p>Not thread-safe: one write lane at a time, in order.
 */
public final class PartialFileWriter implements AutoCloseable {

    /** Transfers smaller than this many bytes are written through the page cache. */
    public static final long DIRECT_MIN_BYTES = ProtocolLimits.BULK_MIN_BYTES;
    /** The largest block size honoured; a file store claiming more is written through the page cache. */
    private static final int MAX_ALIGNMENT = 64 << 10;

    private final FileChannel file;
    private final FileChannel direct;
    private final int alignment;
    private long position;

    private PartialFileWriter(FileChannel file, FileChannel direct, int alignment, long position) {
        this.file = file;
        this.direct = direct;
        this.alignment = alignment;
        this.position = position;
    }

    /**
     * A writer that appends at {@code offset} of {@code path}, already open as {@code file}. It
     * does not take over {@code file}: {@link #close} closes only the writer's own direct channel.
     *
     * @param offset    the byte position of the first byte appended
     * @param expected  how many bytes will be appended
     * @param directMin transfers of fewer bytes than this are written through the page cache
     */
    public static PartialFileWriter open(Path path, FileChannel file, long offset, long expected, long directMin) {
        // Small first: finding the file store reads /proc/mounts, too much for every small upload.
        int alignment = expected < directMin ? 0 : blockSize(path);
        if (alignment == 0 || offset % alignment != 0) {
            return new PartialFileWriter(file, null, 1, offset);
        }
        try {
            FileChannel direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            return new PartialFileWriter(file, direct, alignment, offset);
        } catch (IOException | UnsupportedOperationException e) {
            return new PartialFileWriter(file, null, 1, offset);
        }
    }

    /** The file system's block size when direct I/O could use it, or 0. */
    private static int blockSize(Path path) {
        try {
            long size = Files.getFileStore(path).getBlockSize();
            return size > 0 && size <= MAX_ALIGNMENT && Long.bitCount(size) == 1 ? (int) size : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** Whether big runs of bytes bypass the page cache. */
    public boolean direct() {
        return direct != null;
    }

    /**
     * A direct buffer of {@code capacity} bytes whose address suits direct writes. Its capacity is
     * exactly {@code capacity}.
     */
    public ByteBuffer allocate(int capacity) {
        if (direct == null) {
            return ByteBuffer.allocateDirect(capacity);
        }
        ByteBuffer raw = ByteBuffer.allocateDirect(capacity + alignment);
        ByteBuffer aligned = raw.alignedSlice(alignment);
        return aligned.limit(capacity).slice();
    }

    /**
     * Appends the remaining bytes of {@code chunk} and consumes them; they go direct when the
     * chunk's address is aligned, as that of a buffer from {@link #allocate} at position 0 is.
     *
     * @throws IOException when the file system fails the write (for example {@code ENOSPC})
     */
    public void append(ByteBuffer chunk) throws IOException {
        int length = chunk.remaining();
        boolean fits = direct != null && position % alignment == 0 && chunk.isDirect()
                && chunk.alignmentOffset(chunk.position(), alignment) == 0;
        int aligned = fits ? length & -alignment : 0;
        if (aligned > 0) {
            ByteBuffer run = chunk.slice();
            run.limit(aligned);
            long at = position;
            while (run.hasRemaining()) {
                at += direct.write(run, at);
            }
            chunk.position(chunk.position() + aligned);
            position += aligned;
        }
        while (chunk.hasRemaining()) {
            position += file.write(chunk, position);
        }
    }

    /** Closes the direct channel; the caller's channel stays open for its fsync. Never throws. */
    @Override
    public void close() {
        if (direct != null) {
            try {
                direct.close();
            } catch (IOException ignored) {
                // nothing was pending: direct writes are complete when they return
            }
        }
    }
}
