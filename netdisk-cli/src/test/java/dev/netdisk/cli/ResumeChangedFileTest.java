package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TestConnections;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.client.TransferListener;
import dev.netdisk.cli.client.TransferOptions;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.StampFile;
import dev.netdisk.protocol.Md5;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A resumed upload checks the local file first: interrupted (Ctrl-C's cancellation, through the
 * client library with the CLI's stamp file), then run again through the real command line.
 */
class ResumeChangedFileTest extends CliTestSupport {

    /**
     * The server keeps whole encrypted parts of 8 MiB (docs/PROTOCOL.md, UPLOAD): the cut is well
     * past the first, since up to a few MiB may still be in socket buffers when the client stops.
     */
    private static final int SIZE = 28 * 1024 * 1024;

    /** Starts an upload of {@code local} the way the CLI does and cancels it after 18 MiB. */
    private void interrupted(Path local, String remote) throws Exception {
        try (NetdiskClient c = TestConnections.connect(server)) {
            c.login("alice", PASSWORD);
            Cancellation cancel = new Cancellation();
            TransferOptions options = TransferOptions.DEFAULTS.withCancellation(cancel)
                    .withStamps(new StampFile(tmp.resolve("config")));
            assertThatThrownBy(() -> c.upload(local, remote, options, new TransferListener() {
                @Override
                public void progress(long position) {
                    if (position >= 18L * 1024 * 1024) {
                        cancel.cancel();
                    }
                }
            })).isInstanceOf(TransferCancelledException.class);
        }
    }

    /** Runs the CLI upload until the server has noticed the cut (it answers 450 until then). */
    private Cli.Result uploadAgain(Path local, String remote) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> cli.run("upload", local.toString(), remote), r -> r.code() != ExitCode.TRANSIENT.value());
    }

    private static Path randomFile(Path path) throws Exception {
        byte[] bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        return Files.write(path, bytes);
    }

    private static String md5(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(Md5.newDigest().digest(Files.readAllBytes(file)));
    }

    @Test
    void aChangedLocalFileStartsOverWithOneLineSayingWhy() throws Exception {
        loggedIn("alice");
        Path local = randomFile(work.resolve("moving.bin"));
        interrupted(local, "/moving.bin");
        try (RandomAccessFile f = new RandomAccessFile(local.toFile(), "rw")) {
            int b = f.read();
            f.seek(0);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(local, FileTime.fromMillis(Files.getLastModifiedTime(local).toMillis() + 5000));

        Cli.Result r = uploadAgain(local, "/moving.bin");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).startsWith("upload: moving.bin: the local file changed since the interrupted "
                + "upload (modified ").contains("starting over from the first byte").doesNotContain("resuming");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(cli.run("stat", "--json", "/moving.bin").out()).contains(md5(local));
        assertThat(Files.readString(tmp.resolve("config/uploads.properties"))).doesNotContain("moving.bin");
    }

    @Test
    void anUnchangedFileResumesAndARestartedOneResumesItsRestart() throws Exception {
        loggedIn("alice");
        Path local = randomFile(work.resolve("same.bin"));
        interrupted(local, "/same.bin");
        Cli.Result r = uploadAgain(local, "/same.bin");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("resuming at").doesNotContain("changed");

        // Changed, restarted with its MD5 up front, interrupted again: the next run resumes that restart.
        Path other = randomFile(work.resolve("other.bin"));
        interrupted(other, "/other.bin");
        Files.setLastModifiedTime(other, FileTime.fromMillis(Files.getLastModifiedTime(other).toMillis() + 5000));
        interrupted(other, "/other.bin");
        Cli.Result resumed = uploadAgain(other, "/other.bin");
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("resuming at").doesNotContain("changed");
        assertThat(cli.run("stat", "--json", "/other.bin").out()).contains(md5(other));
    }

    @Test
    void uploadRecursiveChecksTheLocalFileToo() throws Exception {
        loggedIn("alice");
        Path tree = Files.createDirectories(work.resolve("tree"));
        // A mirror sends files under 8 MiB whole in its batch; bigger ones on their own, resuming.
        byte[] bytes = new byte[SIZE];
        new Random(9).nextBytes(bytes);
        Path local = Files.write(tree.resolve("big.bin"), bytes);
        assertThat(cli.run("makedir", "/tree").code()).isZero();
        interrupted(local, "/tree/big.bin");
        try (RandomAccessFile f = new RandomAccessFile(local.toFile(), "rw")) {
            int b = f.read();
            f.seek(0);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(local, FileTime.fromMillis(Files.getLastModifiedTime(local).toMillis() + 5000));

        Cli.Result r = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> cli.run("upload", "-r", tree.toString(), "/tree"), x -> !x.err().contains("in progress"));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).contains("netdisk: upload: " + local + ": the local file changed since the"
                + " interrupted upload (modified ").contains("starting over from the first byte");
        // Started over at once: every byte sent once, no resume that fails its checksum and is sent again.
        assertThat(r.out()).contains(": 1 files: 1 uploaded (" + bytes.length + " bytes)");
        assertThat(cli.run("stat", "--json", "/tree/big.bin").out()).contains(md5(local));
    }
}
