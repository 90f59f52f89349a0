package dev.netdisk.cli.client;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a download's bytes to its {@code .part} file in order, from a given offset, with direct
 * I/O ({@code O_DIRECT}) for the runs that allow it and through the page cache for the rest.
 *
 * <p>Why: a buffered write copies each byte into a fresh page-cache page, which on a 2-core VM
 * costs 0.25 s per GiB, and 2.4 s per GiB when the hypervisor took the free pages back (free-page
 * reporting), and the final fsync then writes the same bytes to disk. A direct write hands the
 * buffer to the disk with no copy; the fsync is left with the metadata. Only a download of at least
 * {@link #DIRECT_MIN_BYTES} goes this way: a small one is cheaper through the cache.
 *
 * <p>A run goes direct when the buffer's address, the file position and the length are multiples
 * of the file system's block size ({@link java.nio.file.FileStore#getBlockSize});
 * {@link HashingCopy#copyOverlapped} hands out page-aligned buffers, so every full chunk does and
 * only the tail of the last one goes through the cache. A file system that refuses
 * {@code O_DIRECT} (tmpfs before Linux 6.6) gets every byte through the cache.
 *
 * <p>Its twin in the other module: the server's {@code transfer/PartialFileWriter} does the
 * same for uploads (the server and the client share no code, so a fix
 * to one belongs in both).
 *
 * <p>Not thread-safe: one writer, in order.
 */
final class PartFileSink implements HashingCopy.Sink, Closeable {

    /** Downloads smaller than this many bytes are written through the page cache. */
    static final long DIRECT_MIN_BYTES = 8L << 20;
    /** The largest block size honoured; a file store claiming more is written through the cache. */
    private static final int MAX_ALIGNMENT = 64 << 10;

    private final FileChannel file;
    private final FileChannel direct;
    private final int alignment;
    private long position;

    private PartFileSink(FileChannel file, FileChannel direct, int alignment, long position) {
        this.file = file;
        this.direct = direct;
        this.alignment = alignment;
        this.position = position;
    }

    /**
     * A sink that writes {@code length} bytes into {@code part} (open as {@code file}) from
     * {@code offset} on. Does not take over {@code file}; {@link #close} closes only its own channel.
     */
    static PartFileSink open(Path part, FileChannel file, long offset, long length) {
        // Small first: finding the file store reads /proc/mounts, too much for every small download.
        int alignment = length < DIRECT_MIN_BYTES ? 0 : blockSize(part);
        if (alignment == 0 || offset % alignment != 0) {
            return new PartFileSink(file, null, 1, offset);
        }
        try {
            return new PartFileSink(file, FileChannel.open(part, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT),
                    alignment, offset);
        } catch (IOException | UnsupportedOperationException e) {
            return new PartFileSink(file, null, 1, offset);
        }
    }

    private static int blockSize(Path part) {
        try {
            long size = Files.getFileStore(part).getBlockSize();
            return size > 0 && size <= MAX_ALIGNMENT && Long.bitCount(size) == 1 ? (int) size : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** Writes every remaining byte of {@code src} at the next position of the file. */
    @Override
    public void write(ByteBuffer src) throws IOException {
        int aligned = 0;
        if (direct != null && position % alignment == 0 && src.isDirect()
                && src.alignmentOffset(src.position(), alignment) == 0) {
            aligned = src.remaining() & -alignment;
        }
        if (aligned > 0) {
            ByteBuffer run = src.slice();
            run.limit(aligned);
            long at = position;
            while (run.hasRemaining()) {
                at += direct.write(run, at);
            }
            src.position(src.position() + aligned);
            position += aligned;
        }
        while (src.hasRemaining()) {
            position += file.write(src, position);
        }
    }

    @Override
    public void close() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }
}
