package dev.netdisk.server.crypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.server.store.BlobSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PartWriter} and {@link PartReader} seal and open segments themselves with Tink's segment
 * encrypter and decrypter: what they write and read must be exactly the format of Tink's own
 * streaming channels (which wrote every file stored before them), whatever the sizes of the chunks,
 * at every segment and part boundary.
 */
class PartWriterTest {

    private static final int SEGMENT = DataKey.SEGMENT_BYTES - 16;  // plaintext of a full segment
    private static final int FIRST = SEGMENT - 40;                  // the first one shares with the header
    private static final int PART = (int) DataKey.PART_BYTES;

    /** The ciphertext, gathered in memory, in the order appended. */
    private static class Memory implements PartWriter.Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public ByteBuffer allocate(int capacity) {
            return ByteBuffer.allocate(capacity);
        }

        @Override
        public void append(ByteBuffer ciphertext) {
            byte[] b = new byte[ciphertext.remaining()];
            ciphertext.get(b);
            bytes.write(b, 0, b.length);
        }

        BlobSource source() {
            byte[] all = bytes.toByteArray();
            return new BlobSource() {
                @Override
                public long size() {
                    return all.length;
                }

                @Override
                public int read(ByteBuffer dst, long position) {
                    if (position >= all.length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), all.length - position);
                    dst.put(all, (int) position, n);
                    return n;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @ParameterizedTest(name = "{0} bytes in chunks of {1}")
    @CsvSource({
        "1, 1", "100, 7", "" + FIRST + ", 65536", "" + (FIRST + 1) + ", " + FIRST, "" + (FIRST + SEGMENT) + ", " + SEGMENT,
        "" + (2 * SEGMENT) + ", 1048576", "" + PART + ", 1048576", "" + PART + ", " + PART, "" + (PART + 1) + ", 65537",
        "" + (2 * PART + FIRST) + ", 1000003", "" + (3 * PART - 1) + ", 0",
    })
    void whatItWritesDecryptsWithTinkWhateverTheChunks(int size, int chunk) throws Exception {
        byte[] plain = random(size, chunk);
        DataKey key = DataKey.generate();
        ExecutorService disk = Executors.newSingleThreadExecutor();
        try {
            // Full buffers written on the calling thread, then on another while the next fills.
            for (Executor writes : new Executor[] {null, disk}) {
                Memory out = new Memory();
                PartWriter writer = new PartWriter(key, "blob-1", out, 0, size, writes);
                SplittableRandom sizes = new SplittableRandom(size);
                for (int at = 0; at < size; ) {
                    // chunk 0: random chunk sizes from 1 byte to 2 MiB
                    int n = Math.min(size - at, chunk > 0 ? chunk : 1 + sizes.nextInt(2 << 20));
                    writer.append(ByteBuffer.wrap(plain, at, n));
                    at += n;
                }

                assertThat(out.bytes.size()).isEqualTo(DataKey.ciphertextSize(size));
                assertThat(readAll(new PartReader(out.source(), key, "blob-1", size), size)).isEqualTo(plain);
            }
        } finally {
            disk.shutdownNow();
        }
    }

    @Test
    void aWriteThatFailsOnTheExecutorFailsTheNextAppendAndARefusingExecutorWritesHere() throws Exception {
        int size = 4 * DataKey.SEGMENT_BYTES;
        byte[] plain = random(size, 6);
        DataKey key = DataKey.generate();
        Memory failing = new Memory() {
            @Override
            public void append(ByteBuffer ciphertext) {
                throw new java.io.UncheckedIOException(new IOException("No space left on device"));
            }
        };
        ExecutorService disk = Executors.newSingleThreadExecutor();
        try {
            PartWriter writer = new PartWriter(key, "blob-6", failing, 0, size, disk);
            assertThatThrownBy(() -> writer.append(ByteBuffer.wrap(plain))).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot write blob blob-6").hasRootCauseMessage("No space left on device");
        } finally {
            disk.shutdownNow();
        }

        Memory out = new Memory();
        new PartWriter(key, "blob-6", out, 0, size, task -> {
            throw new RejectedExecutionException("stopping");
        }).append(ByteBuffer.wrap(plain));
        assertThat(readAll(new PartReader(out.source(), key, "blob-6", size), size)).isEqualTo(plain);
    }

    @Test
    void tinksChannelsReadWhatItWritesAndItReadsWhatTheyWrote() throws Exception {
        int size = 2 * PART + FIRST + 4321;
        // Written here, read part by part with Tink's decrypting stream.
        Written ours = written(size, 5, "blob-5");
        byte[] plain = ours.plain();
        DataKey key = ours.key();
        byte[] stored = ours.out().bytes.toByteArray();
        ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
        for (int k = 0; (long) k * PART < size; k++) {
            int from = (int) (k * DataKey.PART_CIPHERTEXT_BYTES);
            int to = (int) Math.min(stored.length, from + DataKey.PART_CIPHERTEXT_BYTES);
            try (InputStream in = key.streaming().newDecryptingStream(
                    new ByteArrayInputStream(stored, from, to - from), DataKey.partAad("blob-5", k))) {
                in.transferTo(decrypted);
            }
        }
        assertThat(decrypted.toByteArray()).isEqualTo(plain);

        // Written part by part with Tink's encrypting channel (as servers before this reader did), read here.
        Memory theirs = new Memory();
        for (int k = 0; (long) k * PART < size; k++) {
            int from = k * PART;
            int n = Math.min(PART, size - from);
            try (OutputStream out = key.streaming().newEncryptingStream(theirs.bytes, DataKey.partAad("blob-5", k))) {
                out.write(plain, from, n);
            }
        }
        assertThat(readAll(new PartReader(theirs.source(), key, "blob-5", size), size)).isEqualTo(plain);
    }

    @Test
    void aResumedUploadAppendsPartsAfterTheKeptOnes() throws Exception {
        int size = 2 * PART + 12345;
        byte[] plain = random(size, 1);
        DataKey key = DataKey.generate();
        Memory out = new Memory();
        PartWriter first = new PartWriter(key, "blob-2", out, 0, size, null);
        first.append(ByteBuffer.wrap(plain, 0, PART + 5000));  // cut in the second part
        first.flush();
        long kept = DataKey.keptPlaintext(out.bytes.size(), size);
        assertThat(kept).isEqualTo(PART);

        byte[] keptCiphertext = Arrays.copyOf(out.bytes.toByteArray(), (int) DataKey.ciphertextSize(kept));
        Memory resumed = new Memory();
        resumed.bytes.write(keptCiphertext, 0, keptCiphertext.length);
        PartWriter second = new PartWriter(key, "blob-2", resumed, kept, size, null);
        second.append(ByteBuffer.wrap(plain, (int) kept, size - (int) kept));

        assertThat(readAll(new PartReader(resumed.source(), key, "blob-2", size), size)).isEqualTo(plain);
    }

    @Test
    void readsFromAnyOffsetGetTheRightBytesAndAChangedByteAnywhereIsCaught() throws Exception {
        int size = 2 * PART + FIRST + 777;
        Written written = written(size, 3, "blob-4");
        byte[] plain = written.plain();
        DataKey key = written.key();
        Memory out = written.out();
        PartReader reader = new PartReader(out.source(), key, "blob-4", size);
        SplittableRandom offsets = new SplittableRandom(4);
        long[] edges = {0, FIRST - 1, FIRST, FIRST + SEGMENT, PART - 1, PART, PART + FIRST, size - 1};
        for (int i = 0; i < 200; i++) {
            long at = i < edges.length ? edges[i] : offsets.nextLong(size);
            ByteBuffer dst = ByteBuffer.allocate(1 + offsets.nextInt(3 << 20));
            int n = reader.read(dst, at);
            assertThat(n).isPositive();
            assertThat(Arrays.copyOf(dst.array(), n)).isEqualTo(Arrays.copyOfRange(plain, (int) at, (int) at + n));
        }
        assertThat(reader.read(ByteBuffer.allocate(10), size)).isEqualTo(-1);

        byte[] stored = out.bytes.toByteArray();
        long secondPart = DataKey.PART_CIPHERTEXT_BYTES;
        // a header byte, a first segment's, a middle one's, and the very last byte (the last segment's tag)
        long[] flips = {secondPart + 3, secondPart + 40 + 5, secondPart + 3L * DataKey.SEGMENT_BYTES + 9, stored.length - 1};
        for (long flip : flips) {
            byte[] changed = stored.clone();
            changed[(int) flip] ^= 1;
            Memory bad = new Memory();
            bad.bytes.write(changed, 0, changed.length);
            PartReader broken = new PartReader(bad.source(), key, "blob-4", size);
            assertThatThrownBy(() -> readAll(broken, size)).as("byte %d changed", flip)
                    .isInstanceOf(IntegrityException.class);
            assertThat(broken.read(ByteBuffer.allocate(100), 0)).as("part 0 is intact").isEqualTo(100);
        }
    }

    @Test
    void bytesPastTheAnnouncedSizeAreRefused() throws Exception {
        PartWriter writer = new PartWriter(DataKey.generate(), "blob-3", new Memory(), 0, 10, null);
        assertThatThrownBy(() -> writer.append(ByteBuffer.allocate(11))).isInstanceOf(IOException.class)
                .hasMessageContaining("11 bytes to append at 0 of a 10-byte file");
    }

    /** {@code plain} as {@link PartWriter} stored it under {@code key}, in one chunk. */
    private record Written(byte[] plain, DataKey key, Memory out) {
    }

    private static Written written(int size, long seed, String blobId) throws IOException {
        byte[] plain = random(size, seed);
        DataKey key = DataKey.generate();
        Memory out = new Memory();
        new PartWriter(key, blobId, out, 0, size, null).append(ByteBuffer.wrap(plain));
        return new Written(plain, key, out);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] readAll(PartReader reader, int size) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(size);
        while (all.hasRemaining()) {
            int n = reader.read(all, all.position());
            assertThat(n).isPositive();
        }
        return all.array();
    }
}
