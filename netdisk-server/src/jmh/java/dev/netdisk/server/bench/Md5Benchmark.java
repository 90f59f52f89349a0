package dev.netdisk.server.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.codec.digest.DigestUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The MD5 half of the transfer pipeline: how the digest's speed depends on the buffer it is fed
 * (heap or direct, 64 KiB to 4 MiB), and what reading a cached file into such a buffer adds. Each
 * invocation hashes {@link #FILE_BYTES} bytes; MiB/s = 64 / (seconds per operation).
 *
 * <p>The server's upload path ({@code UploadTransfer}) receives into direct buffers and hashes
 * them on a worker; the client's reads a file into a buffer and hashes it. Run:
 * {@code mvn -B -Pjmh -pl netdisk-server test-compile exec:exec -Djmh.args="Md5"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Md5Benchmark {

    /** Bytes hashed per benchmark operation: 64 MiB. */
    static final int FILE_BYTES = 64 << 20;

    @Param({"65536", "1048576", "4194304"})
    public int bufferBytes;

    @Param({"heap", "direct"})
    public String kind;

    private ByteBuffer buffer;
    private Path file;
    private FileChannel channel;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        buffer = "direct".equals(kind) ? ByteBuffer.allocateDirect(bufferBytes) : ByteBuffer.allocate(bufferBytes);
        byte[] random = new byte[bufferBytes];
        ThreadLocalRandom.current().nextBytes(random);
        buffer.put(random).flip();
        file = Files.createTempFile("md5-bench", ".bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int written = 0; written < FILE_BYTES; written += bufferBytes) {
                out.write(buffer.duplicate());
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    /** MD5 of 64 MiB already in memory, fed one buffer at a time: the digest's own ceiling. */
    @Benchmark
    public byte[] digestOnly() {
        MessageDigest md5 = DigestUtils.getMd5Digest();
        for (int hashed = 0; hashed < FILE_BYTES; hashed += bufferBytes) {
            md5.update(buffer.duplicate());
        }
        return md5.digest();
    }

    /** Read a cached 64 MiB file into the buffer and hash it: one pass of the client's upload. */
    @Benchmark
    public byte[] readAndDigest() throws IOException {
        MessageDigest md5 = DigestUtils.getMd5Digest();
        long position = 0;
        while (position < FILE_BYTES) {
            buffer.clear();
            int n = channel.read(buffer, position);
            position += n;
            buffer.flip();
            md5.update(buffer);
        }
        return md5.digest();
    }
}
