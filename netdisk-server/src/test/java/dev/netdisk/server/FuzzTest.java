package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throws garbage at a live server, seeded so that a failure reproduces: random bytes, invalid
 * UTF-8, NULs and control characters, overlong lines and arguments, pipelined bursts, half-closed
 * and reset sockets, and every verb with random arguments. Afterwards a normal conversation must
 * work, and the server must hold no more connections or threads than before.
 *
 * <p>Bounded in count and in time. Set {@code -Dnetdisk.fuzz.seed=N} to replay a seed.
 */
@ExtendWith(RobustnessTally.class)
class FuzzTest extends ServerTestSupport {

    private static final long SEED = Long.getLong("netdisk.fuzz.seed", 20261121L);
    private static final int ROUNDS = 400;
    private static final Duration BUDGET = Duration.ofSeconds(20);

    private static final List<String> VERBS = List.of("REGISTER", "LOGIN", "LOGOUT", "QUIT", "NOOP", "HELP", "PWD",
            "CD", "LS", "MAKEDIR", "MKDIR", "STAT", "UPLOAD", "DOWNLOAD", "DATA", "CHAT", "FRIEND", "USERS", "WHO",
            "GROUP", "HISTORY");

    @Test
    void garbageNeverTakesTheServerDown() throws Exception {
        ProtocolClient bystander = loggedIn("bystander");
        register("fuzz");
        int threadsBefore = Thread.activeCount();
        long heapBefore = usedHeapAfterGc();
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + BUDGET.toNanos();

        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            RobustnessTally.tried(FuzzTest.class, "garbage connections", 1);
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(2_000);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                OutputStream out = socket.getOutputStream();
                if (random.nextInt(3) == 0) {
                    out.write(("LOGIN fuzz " + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
                }
                int bursts = 1 + random.nextInt(4);
                for (int b = 0; b < bursts; b++) {
                    out.write(garbage(random));
                }
                out.flush();
                switch (random.nextInt(4)) {
                    case 0 -> socket.shutdownOutput();
                    case 1 -> {
                        socket.setSoLinger(true, 0); // close with a reset
                    }
                    case 2 -> drainSome(socket.getInputStream(), random);
                    default -> {
                        // a plain close
                    }
                }
            } catch (IOException expected) {
                // the server may close a connection that sent garbage; that is its right
            }
            if (round % 50 == 0) {
                assertThat(bystander.command("NOOP").code()).as("round %d, seed %d", round, SEED).isEqualTo(200);
            }
        }

        // A normal conversation still works, for the bystander and for a newcomer.
        assertThat(bystander.command("PWD").code()).isEqualTo(257);
        ProtocolClient fresh = loggedIn("fresh");
        assertThat(fresh.command("MAKEDIR after-the-storm").code()).isEqualTo(257);
        assertThat(upload(fresh, "after-the-storm/ok.txt", Payload.of("still here")).code()).isEqualTo(226);
        assertThat(ls(fresh, "after-the-storm")).singleElement().asString().endsWith(" ok.txt");

        // Every fuzz connection is gone and no thread was left behind.
        await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() <= 2);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
        // Garbage in must not mean memory kept: what the storm left behind is collectable.
        assertThat(usedHeapAfterGc() - heapBefore).isLessThan(64L << 20);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static byte[] garbage(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> randomBytes(random, 1 + random.nextInt(2_000));
            case 1 -> (VERBS.get(random.nextInt(VERBS.size())) + " " + randomArgs(random) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {(byte) 0xC3, 0x28, '\n', (byte) 0xFF, (byte) 0xFE, '\n'}; // invalid UTF-8
            case 3 -> ("NOOP\0\u0001\u0007\u001b[2J\n").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("LS " + "a".repeat(9_000 + random.nextInt(20_000)) + "\n").getBytes(StandardCharsets.UTF_8);
            case 5 -> "NOOP\nPWD\nLS\nHELP\nSTAT /\nCD ..\n".repeat(1 + random.nextInt(200)).getBytes(StandardCharsets.UTF_8);
            case 6 -> ("UPLOAD \"" + "x".repeat(random.nextInt(300)) + " " + random.nextLong() + " "
                    + "0".repeat(32) + "\n").getBytes(StandardCharsets.UTF_8);
            default -> ("DATA " + Long.toHexString(random.nextLong()) + "\n").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String randomArgs(Random random) {
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> out.append("../".repeat(random.nextInt(10))).append("x");
                case 1 -> out.append('"').append("a b\\\"c").append(random.nextBoolean() ? "\"" : "");
                case 2 -> out.append(random.nextLong());
                case 3 -> out.append("-").append((char) ('a' + random.nextInt(26)));
                case 4 -> out.append("\u00e9\u65e5\u202e").append(random.nextInt());
                default -> out.append("/".repeat(1 + random.nextInt(5))).append(".");
            }
            out.append(' ');
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void drainSome(InputStream in, Random random) throws IOException {
        byte[] buf = new byte[1 + random.nextInt(4_096)];
        in.read(buf);
    }
}
