package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.protocol.ReplyException;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** The library's mirror transfers: cancellation midway, then a run that finishes the rest. */
class RecursiveTransferLibraryTest {

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        try (NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server)) {
            c.register("alice", "correct-horse");
            token = c.login("alice", "correct-horse").token();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private NetdiskClient open() throws java.io.IOException {
        NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server);
        c.loginWithToken(token);
        return c;
    }

    /** A listener that cancels {@code cancel} when the {@code n}th file's outcome is reported. */
    private static RecursiveTransfer.Listener cancelAfter(int n, Cancellation cancel) {
        AtomicInteger seen = new AtomicInteger();
        return new RecursiveTransfer.Listener() {
            @Override
            public void finished(RecursiveTransfer.FileOutcome outcome) {
                if (seen.incrementAndGet() == n) {
                    cancel.cancel();
                }
            }
        };
    }

    @Test
    void smallFilesGoInOneBatchAndWhatItCannotTakeGoesOneByOne() throws Exception {
        Path before = Files.createDirectories(tmp.resolve("before"));
        Files.writeString(before.resolve("s3"), "an older s3");
        Files.writeString(before.resolve("s4"), "file 4");
        Path source = Files.createDirectories(tmp.resolve("batch"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(source.resolve("s" + i), "file " + i);
        }
        byte[] big = new byte[200_000];
        new Random(3).nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        Files.writeString(source.resolve("clash"), "a file where a directory is");

        RecursiveTransfer.Summary r;
        try (NetdiskClient main = open()) {
            RecursiveTransfer.upload(main, this::open, before, "/m", 2, null, null);
            main.files().makedir("/m/clash", false);
            r = RecursiveTransfer.upload(main, this::open, source, "/m", 2, null, null);
        }
        // s3 replaced and big.bin streamed in the batch, s4 identical, the clash one by one.
        assertThat(r.transferred()).isEqualTo(10);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.remotePath()).isEqualTo("/m/clash");
            assertThat(f.failure()).hasMessageContaining("550");
        });

        RecursiveTransfer.Summary back;
        try (NetdiskClient main = open()) {
            back = RecursiveTransfer.download(main, this::open, "/m", tmp.resolve("back"), 2, null, null);
        }
        assertThat(back.failures()).isEmpty();
        for (int i = 0; i < 10; i++) {
            assertThat(tmp.resolve("back/s" + i)).hasContent("file " + i);
        }
        assertThat(Files.readAllBytes(tmp.resolve("back/big.bin"))).isEqualTo(big);
    }

    @Test
    void downloadsUnder8MiBComeInOneBatchAndWhatItCannotTakeGoesOneByOne() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(source.resolve("s" + i), "file " + i);
        }
        byte[] big = new byte[200_000];
        new Random(5).nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        byte[] huge = new byte[(int) MirrorBatch.STREAMED_MAX_BYTES];
        new Random(6).nextBytes(huge);
        Files.write(source.resolve("huge.bin"), huge);
        Path back = Files.createDirectories(tmp.resolve("back"));
        Files.writeString(back.resolve("s3"), "file 3");
        Files.writeString(back.resolve("s4"), "an older s4");
        Files.createDirectories(back.resolve("s5"));
        Files.writeString(back.resolve("s6.part"), "file");

        // Which thread reported each file: the batch's answers are read on their own thread.
        Map<String, String> threads = new ConcurrentHashMap<>();
        RecursiveTransfer.Listener byThread = new RecursiveTransfer.Listener() {
            @Override
            public void finished(RecursiveTransfer.FileOutcome outcome) {
                threads.put(outcome.remotePath(), Thread.currentThread().getName());
            }
        };
        RecursiveTransfer.Summary r;
        try (NetdiskClient main = open()) {
            RecursiveTransfer.upload(main, this::open, source, "/m", 2, null, null);
            r = RecursiveTransfer.download(main, this::open, "/m", back, 2, null, byThread);
        }
        // s3 identical; s4 replaced and big.bin streamed in the batch; s5 blocked by a directory;
        // s6 (kept .part) and huge.bin (8 MiB: resumable, in parallel) one by one.
        assertThat(r.transferred()).isEqualTo(10);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.remotePath()).isEqualTo("/m/s5");
            assertThat(f.failure()).hasMessageContaining("a directory is in the way");
        });
        for (int i : new int[] {0, 1, 2, 4, 7, 8, 9}) {
            assertThat(back.resolve("s" + i)).hasContent("file " + i);
            assertThat(threads.get("/m/s" + i)).isEqualTo("netdisk-batch-answers");
        }
        assertThat(back.resolve("s6")).hasContent("file 6");
        assertThat(threads.get("/m/s6")).isNotEqualTo("netdisk-batch-answers");
        assertThat(Files.readAllBytes(back.resolve("big.bin"))).isEqualTo(big);
        assertThat(threads.get("/m/big.bin")).isEqualTo("netdisk-batch-answers");
        assertThat(Files.readAllBytes(back.resolve("huge.bin"))).isEqualTo(huge);
        assertThat(threads.get("/m/huge.bin")).isNotEqualTo("netdisk-batch-answers");
        try (var left = Files.list(back)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void whenNoExtraConnectionCanBeOpenedTheCallersConnectionDoesEverything() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("few"));
        for (int i = 0; i < 8; i++) {
            Files.writeString(source.resolve("f" + i), "file " + i);
        }
        RecursiveTransfer.Summary r;
        try (NetdiskClient main = open()) {
            r = RecursiveTransfer.upload(main, () -> {
                throw new ReplyException(530, "too many sessions for alice (max 1)");
            }, source, "/few", 4, null, null);
        }
        assertThat(r.transferred()).isEqualTo(8);
        assertThat(r.failures()).isEmpty();
        assertThat(r.notAttempted()).isZero();
        assertThat(r.stoppedBy()).isNull();
    }

    @Test
    void aCancelDuringTheBatchSendsNothingMore() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("cancelled"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(source.resolve(String.format("f%02d", i)), "file " + i);
        }
        Path firstHalf = Files.createDirectories(tmp.resolve("first-half"));
        for (int i = 0; i < 10; i++) {
            Files.copy(source.resolve(String.format("f%02d", i)), firstHalf.resolve(String.format("f%02d", i)));
        }
        try (NetdiskClient main = open()) {
            RecursiveTransfer.upload(main, this::open, firstHalf, "/c", 2, null, null);
        }
        // f00..f09 are identical there: the batch's sender skips them itself, in order, and the
        // fifth skip cancels on the sender's own thread, before any other file is sent.
        Cancellation cancel = new Cancellation();
        RecursiveTransfer.Listener stopAfterFive = cancelAfter(5, cancel);
        RecursiveTransfer.Summary r;
        try (NetdiskClient main = open()) {
            r = RecursiveTransfer.upload(main, this::open, source, "/c", 2, cancel, stopAfterFive);
            assertThat(main.files().ls("/c")).hasSize(10);
        }
        assertThat(r.stoppedBy()).isInstanceOf(TransferCancelledException.class);
        assertThat(r.skipped()).isEqualTo(5);
        assertThat(r.transferred()).isZero();
        assertThat(r.notAttempted()).isEqualTo(15);
        assertThat(r.failures()).isEmpty();
    }

    @Test
    void aCancelledRunStopsEveryWorkerAndTheNextRunFinishesTheRest() throws Exception {
        // Files of 8 MiB go on the per-file workers (two here), one at a time each. The second
        // file's outcome cancels, so no more than 2 + 2 were ever attempted: 8 or more never are,
        // however fast the machine. (Smaller files would all be sent in the batch before its
        // second answer came back.)
        int files = 12;
        int size = (int) MirrorBatch.STREAMED_MAX_BYTES;
        Path source = Files.createDirectories(tmp.resolve("source/a/b"));
        Random random = new Random(7);
        for (int i = 0; i < files; i++) {
            byte[] data = new byte[size + random.nextInt(5000)];
            random.nextBytes(data);
            Files.write(tmp.resolve("source").resolve(i % 2 == 0 ? "a" : "a/b").resolve("f" + i), data);
        }
        Cancellation cancel = new Cancellation();
        RecursiveTransfer.Listener stopAfterTwo = cancelAfter(2, cancel);
        RecursiveTransfer.Summary first;
        try (NetdiskClient main = open()) {
            first = RecursiveTransfer.upload(main, this::open, tmp.resolve("source"), "/mirror", 2, cancel, stopAfterTwo);
        }
        assertThat(first.stoppedBy()).isInstanceOf(TransferCancelledException.class);
        assertThat(first.transferred()).isGreaterThanOrEqualTo(2);
        assertThat(first.notAttempted()).isGreaterThanOrEqualTo(files - 4);
        assertThat(first.failures()).isEmpty();

        RecursiveTransfer.Summary second;
        try (NetdiskClient main = open()) {
            second = RecursiveTransfer.upload(main, this::open, tmp.resolve("source"), "/mirror", 2, null, null);
        }
        assertThat(second.stoppedBy()).isNull();
        assertThat(second.failures()).isEmpty();
        // A file cancelled after its last byte went out may have been stored all the same: it is skipped now.
        assertThat(second.skipped()).isBetween(first.transferred(), files);
        assertThat(second.transferred()).isEqualTo(files - second.skipped());

        RecursiveTransfer.Summary back;
        try (NetdiskClient main = open()) {
            back = RecursiveTransfer.download(main, this::open, "/mirror", tmp.resolve("back"), 2, null, null);
        }
        assertThat(back.transferred()).isEqualTo(files);
        for (int i = 0; i < files; i++) {
            String rel = (i % 2 == 0 ? "a/" : "a/b/") + "f" + i;
            assertThat(Files.readAllBytes(tmp.resolve("back").resolve(rel)))
                    .isEqualTo(Files.readAllBytes(tmp.resolve("source").resolve(rel)));
        }
    }
}
