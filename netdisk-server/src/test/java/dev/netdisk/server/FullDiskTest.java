package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A full disk during an upload, for real: the data directory is a 6 MiB tmpfs. The upload fails
 * with 452, nothing becomes visible, its bytes are given back, and the server goes on serving.
 *
 * <p>Needs permission to mount (root on Linux); skipped elsewhere.
 */
@ExtendWith(RobustnessTally.class)
class FullDiskTest extends ServerTestSupport {

    private Path mountPoint;

    @Override
    Path dataDir() {
        return mountPoint.resolve("data");
    }

    @Override
    @BeforeEach
    void startServer() throws Exception {
        mountPoint = Files.createDirectories(tempDir.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", mountPoint.toString()),
                "mounting a tmpfs needs root on Linux");
        super.startServer();
    }

    @AfterEach
    void unmount() {
        if (mountPoint != null) {
            stopServer();
            server = null;
            // The JVM may still be letting go of a file on the mount: retry, then detach lazily.
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> run("umount", mountPoint.toString()));
            } catch (ConditionTimeoutException e) {
                run("umount", "-l", mountPoint.toString());
            }
        }
    }

    @Test
    void anUploadThatFillsTheDiskFailsWith452AndLeavesNothingBehind() throws IOException {
        RobustnessTally.tried(FullDiskTest.class, "uploads filling the disk", 1);
        ProtocolClient alice = loggedIn("alice");
        Payload tooBig = Payload.random(1, 16 << 20);
        Reply ticket = uploadTicket(alice, "huge.bin", tooBig);
        Reply result;
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            try {
                data.sendBytes(tooBig, 0, tooBig.size());
            } catch (IOException serverStoppedReading) {
                // the server may close before the client has sent everything
            }
            result = data.reply();
        }
        assertThat(result.code()).as("%s", result).isEqualTo(452);
        assertThat(result.text()).startsWith("insufficient storage");

        assertThat(alice.command("STAT huge.bin").code()).isEqualTo(550);
        try (Stream<Path> partial = Files.list(dataDir().resolve("partial"))) {
            assertThat(partial).as("the failed upload's bytes are given back").isEmpty();
        }
        // The space is back: others (and alice) carry on.
        ProtocolClient bob = loggedIn("bob");
        assertThat(upload(bob, "small.txt", Payload.of("fits")).code()).isEqualTo(226);
        assertThat(alice.command("NOOP").code()).isEqualTo(200);
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
