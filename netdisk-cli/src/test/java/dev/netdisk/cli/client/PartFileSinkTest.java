package dev.netdisk.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download's bytes land exactly, whether a run goes direct (aligned) or through the page cache. */
class PartFileSinkTest {

    private static final int CHUNK = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void writesEveryByteFromAnyOffset() throws IOException {
        for (int offset : new int[] {0, 4096, 4097}) {
            byte[] content = new byte[9 * CHUNK + 321];
            new Random(offset).nextBytes(content);
            Path part = dir.resolve("f" + offset + ".part");
            Files.write(part, Arrays.copyOf(content, offset));
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
                 PartFileSink sink = PartFileSink.open(part, ch, offset, content.length - offset)) {
                // Page-aligned direct buffers, as HashingCopy.copyOverlapped hands out.
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK + 4096).alignedSlice(4096).limit(CHUNK).slice();
                for (int at = offset; at < content.length; at += CHUNK) {
                    buf.clear();
                    buf.put(content, at, Math.min(CHUNK, content.length - at)).flip();
                    sink.write(buf);
                    assertThat(buf.hasRemaining()).isFalse();
                }
                sink.write(ByteBuffer.allocate(0));
            }
            assertThat(Files.readAllBytes(part)).as("offset %d", offset).isEqualTo(content);
        }
    }
}
