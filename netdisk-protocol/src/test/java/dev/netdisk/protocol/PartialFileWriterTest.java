package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct and buffered appends leave exactly the bytes given, whichever path each run takes. */
class PartialFileWriterTest {

    private static final int CHUNK = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void bigUploadGoesDirectAndKeepsEveryByteWithAnUnalignedTail() throws IOException {
        byte[] content = random(9 * CHUNK + 1234);
        Path path = dir.resolve("big.part");
        try (FileChannel file = open(path)) {
            PartialFileWriter writer = PartialFileWriter.open(path, file, 0, content.length, 8L << 20);
            assumeTrue(writer.direct(), "this file system refuses O_DIRECT");
            appendInChunks(writer, content, 0);
            writer.close();
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(content);
    }

    @Test
    void resumeAtAnUnalignedOffsetWritesThroughThePageCache() throws IOException {
        byte[] content = random(10 * CHUNK);
        int offset = 4097;
        Path path = dir.resolve("resumed.part");
        Files.write(path, java.util.Arrays.copyOf(content, offset));
        try (FileChannel file = open(path)) {
            PartialFileWriter writer = PartialFileWriter.open(path, file, offset, content.length - offset, 8L << 20);
            assertThat(writer.direct()).isFalse();
            appendInChunks(writer, content, offset);
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(content);
    }

    @Test
    void smallUploadWritesThroughThePageCache() throws IOException {
        byte[] content = random(3 * CHUNK + 5);
        Path path = dir.resolve("small.part");
        try (FileChannel file = open(path)) {
            PartialFileWriter writer = PartialFileWriter.open(path, file, 0, content.length, 8L << 20);
            assertThat(writer.direct()).isFalse();
            appendInChunks(writer, content, 0);
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(content);
    }

    @Test
    void unalignedBufferFallsBackToThePageCacheForThatChunk() throws IOException {
        byte[] content = random(2 * CHUNK);
        Path path = dir.resolve("mixed.part");
        try (FileChannel file = open(path)) {
            PartialFileWriter writer = PartialFileWriter.open(path, file, 0, content.length, 0);
            ByteBuffer first = writer.allocate(CHUNK);
            first.put(content, 0, CHUNK).flip();
            writer.append(first);
            // A heap buffer cannot go direct: same bytes, through the cache.
            writer.append(ByteBuffer.wrap(content, CHUNK, CHUNK));
            writer.close();
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(content);
    }

    private static void appendInChunks(PartialFileWriter writer, byte[] content, int from) throws IOException {
        ByteBuffer buf = writer.allocate(CHUNK);
        for (int at = from; at < content.length; at += CHUNK) {
            buf.clear();
            buf.put(content, at, Math.min(CHUNK, content.length - at)).flip();
            writer.append(buf);
            assertThat(buf.hasRemaining()).isFalse();
        }
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
