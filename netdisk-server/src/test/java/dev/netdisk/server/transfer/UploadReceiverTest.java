package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.crypt.PartReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver of an upload's bytes with real files and real threads: one thread plays the
 * selector (every receiver call but {@code finish} runs on it), a pool runs the lanes. What lands in
 * the file is encrypted ({@code crypt/DataKey}): checked by decrypting it.
 */
class UploadReceiverTest {

    @TempDir
    Path dir;

    private static final DataKey KEY = DataKey.generate();
    private static final String BLOB = "0123456789abcdef0123456789abcdef";

    private final ExecutorService selector = Executors.newSingleThreadExecutor();
    private final ExecutorService lanes = Executors.newFixedThreadPool(2);

    private LocalBlobStore store;

    private LocalBlobStore store() throws IOException {
        if (store == null) {
            store = new LocalBlobStore(dir);
        }
        return store;
    }

    /** A receiver of the bytes from {@code offset}, {@code expected} of them, into the store's partial file of {@link #BLOB}. */
    private UploadReceiver streamed(long offset, long expected, ExecutorService pool) throws IOException {
        return UploadReceiver.streamed(store().openUpload(BLOB, KEY, offset, offset + expected), offset, expected, pool);
    }

    @AfterEach
    void stop() {
        selector.shutdownNow();
        lanes.shutdownNow();
    }

    @Test
    void aBigFileReachesItsFileInOrderThroughTheRingAndIsHashedWhole() throws Exception {
        // More chunks than the ring holds, and a tail shorter than a chunk.
        byte[] bytes = random(ProtocolLimits.CHUNK_BYTES * (UploadReceiver.CHUNKS + 2) + 12_345);
        Path file = store().partialPath(BLOB);
        {
            UploadReceiver receiver = streamed(0, bytes.length, lanes);
            UploadReceiver.Received received = receive(receiver, bytes, 0);
            receiver.close();
            assertThat(received.content()).isNull();
            assertThat(received.md5()).isEqualTo(Md5.hex(bytes));
        }
        assertThat(Files.size(file)).isEqualTo(DataKey.ciphertextSize(bytes.length));
        assertThat(plaintextOf(file, bytes.length)).isEqualTo(bytes);
    }

    @Test
    void aResumedFileKeepsItsWholePartsAndIsHashedFromTheKeptBytesOn() throws Exception {
        // One whole part kept, then a part cut short: the cut part is written again.
        int kept = (int) DataKey.PART_BYTES;
        byte[] bytes = random(kept + ProtocolLimits.CHUNK_BYTES + 7);
        Path file = store().partialPath(BLOB);
        {
            UploadReceiver first = streamed(0, bytes.length, lanes);
            ByteBuffer written = ByteBuffer.wrap(bytes, 0, kept + 1000);
            while (written.hasRemaining()) {
                ByteBuffer piece = written.slice();
                piece.limit(Math.min(piece.remaining(), ProtocolLimits.CHUNK_BYTES));
                written.position(written.position() + piece.remaining());
                assertThat(first.write(piece)).isNull();
            }
            assertThat(first.writeKept(ByteBuffer.allocate(0))).isNull();
            first.close();
        }
        assertThat(DataKey.keptPlaintext(Files.size(file))).isEqualTo(kept);
        {
            UploadReceiver receiver = streamed(kept, bytes.length - kept, lanes);
            assertThat(receive(receiver, bytes, kept).md5()).isEqualTo(Md5.hex(bytes));
            receiver.close();
        }
        assertThat(plaintextOf(file, bytes.length)).isEqualTo(bytes);
    }

    @Test
    void bytesThatDifferGiveAnotherMd5() throws Exception {
        byte[] bytes = random(ProtocolLimits.CHUNK_BYTES + 1);
        byte[] claimed = Md5.hex(bytes).getBytes();
        bytes[ProtocolLimits.CHUNK_BYTES] ^= 1; // one bit flipped on the way
        Path file = store().partialPath(BLOB);
        {
            UploadReceiver receiver = streamed(0, bytes.length, lanes);
            assertThat(receive(receiver, bytes, 0).md5()).isNotEqualTo(new String(claimed)).isEqualTo(Md5.hex(bytes));
        }
    }

    @Test
    void aSmallFileIsHeldInMemoryAndHashedAtTheEnd() throws Exception {
        byte[] bytes = random(ProtocolLimits.SMALL_FILE_BYTES);
        UploadReceiver receiver = UploadReceiver.inMemory(bytes.length);
        assertThat(receiver.inMemory()).isTrue();
        UploadReceiver.Received received = receive(receiver, bytes, 0);
        assertThat(received.content()).isEqualTo(bytes);
        assertThat(received.md5()).isEqualTo(Md5.hex(bytes));
    }

    @Test
    void bytesThatCameWithTheDataLineAreTakenUpToTheFilesEndAndNoFurther() throws Exception {
        byte[] bytes = random(100);
        UploadReceiver first = UploadReceiver.inMemory(bytes.length);
        ByteBuffer leftover = ByteBuffer.wrap(bytes, 0, 60);
        first.take(leftover);
        assertThat(first.received()).isEqualTo(60);
        assertThat(receive(first, Arrays.copyOfRange(bytes, 60, 100), 0).content()).isEqualTo(bytes);

        UploadReceiver whole = UploadReceiver.inMemory(bytes.length);
        ByteBuffer withTrailer = ByteBuffer.allocate(104).put(bytes).put("MD5 ".getBytes()).flip();
        whole.take(withTrailer);
        assertThat(whole.allIn()).isTrue();
        assertThat(withTrailer.remaining()).isEqualTo(4); // the trailer's, not the file's
        assertThat(whole.finish().content()).isEqualTo(bytes);
    }

    @Test
    void anEmptyFileIsAllInAtOnce() throws Exception {
        UploadReceiver receiver = UploadReceiver.inMemory(0);
        assertThat(receiver.allIn()).isTrue();
        assertThat(receiver.canRead()).isFalse();
        assertThat(receiver.finish().md5()).isEqualTo(Md5.hex(new byte[0]));
    }

    @Test
    void whenThePeerGoesAwayTheBytesNotYetInALaneAreStillWritten() throws Exception {
        byte[] bytes = random(ProtocolLimits.CHUNK_BYTES + 500);
        Path file = store().partialPath(BLOB);
        {
            UploadReceiver receiver = streamed(0, 2L * ProtocolLimits.CHUNK_BYTES,
                    lanes);
            ReadableByteChannel source = Channels.newChannel(new ByteArrayInputStream(bytes));
            CompletableFuture<Void> idle = new CompletableFuture<>();
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                try {
                    while (receiver.canRead() && receiver.read(source) > 0) {
                        receiver.pass();
                    }
                } catch (IOException e) {
                    idle.completeExceptionally(e);
                }
                if (receiver.received() == bytes.length && receiver.idle()) {
                    receiver.stop();
                    idle.complete(null);
                }
            };
            selector.execute(() -> {
                receiver.start(selector, pump[0], () -> idle.completeExceptionally(new AssertionError("stopping")));
                pump[0].run();
            });
            idle.get(30, TimeUnit.SECONDS);
            ByteBuffer rest = selector.submit(receiver::rest).get(30, TimeUnit.SECONDS);
            assertThat(rest.remaining()).isEqualTo(500);
            assertThat(receiver.writeKept(rest)).isNull();
            receiver.close();
        }
        // What was written is encrypted; the part is cut short (and so is its last segment, still in
        // Tink's buffer), so nothing is kept for resume.
        assertThat(Files.size(file)).isPositive();
        assertThat(DataKey.keptPlaintext(Files.size(file))).isZero();
        String stored = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(new String(bytes, 0, 64, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The first {@code size} plaintext bytes of the encrypted {@code file}. */
    private static byte[] plaintextOf(Path file, int size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            PartReader reader = new PartReader(channel, KEY, BLOB, size);
            ByteBuffer all = ByteBuffer.allocate(size);
            while (all.hasRemaining()) {
                assertThat(reader.read(all, all.position())).isPositive();
            }
            return all.array();
        }
    }

    /**
     * Feeds {@code bytes} from {@code from} on through the receiver the way the selector does (read
     * while there is room, pass to the lanes, go on when a lane frees a buffer) and finishes it.
     */
    private UploadReceiver.Received receive(UploadReceiver receiver, byte[] bytes, int from) throws Exception {
        ReadableByteChannel source = Channels.newChannel(new ByteArrayInputStream(bytes, from, bytes.length - from));
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            try {
                while (receiver.canRead()) {
                    if (receiver.read(source) < 0) {
                        throw new IOException("the source ended early");
                    }
                    receiver.pass();
                }
                receiver.pass();
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
            if (receiver.failure() != null) {
                done.completeExceptionally(receiver.failure());
            } else if (receiver.allIn() && receiver.idle() && receiver.drained()) {
                done.complete(null);
            }
        };
        selector.execute(() -> {
            receiver.start(selector, pump[0], () -> done.completeExceptionally(new AssertionError("stopping")));
            pump[0].run();
        });
        done.get(30, TimeUnit.SECONDS);
        return receiver.finish();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
