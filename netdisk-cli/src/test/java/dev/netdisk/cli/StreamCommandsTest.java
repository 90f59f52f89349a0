package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.protocol.Md5;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code cat}, {@code download REMOTE -} and {@code upload - REMOTE} through the command line. */
class StreamCommandsTest extends CliTestSupport {

    private static final long BIG = 100L << 20;

    private Path spoolDir;

    @BeforeEach
    void aliceLoggedIn() throws Exception {
        // A TMPDIR of this test's own: other test classes spool standard input at the same time.
        spoolDir = Files.createDirectories(tmp.resolve("spool"));
        cli.env("TMPDIR", spoolDir.toString());
        loggedIn("alice");
    }

    private Cli.Result ok(Cli.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void hundredMebibytesThroughStdinAndBackThroughCatKeepTheirMd5() throws Exception {
        ok(cli.run("makedir", "/backups"));
        RandomStream in = new RandomStream(BIG);
        Cli.Result up = ok(cli.runWithStdin(in, "upload", "-", "/backups/big.bin"));
        String sent = Md5.hex(in.digest);
        assertThat(up.out()).contains("uploaded /backups/big.bin (" + BIG + " bytes, md5 " + sent + ")");
        assertThat(spoolFiles()).as("the spool file is deleted").isEmpty();

        HashingSink sink = new HashingSink();
        cli.stdout(sink);
        ok(cli.run("cat", "/backups/big.bin"));
        assertThat(sink.count).isEqualTo(BIG);
        assertThat(Md5.hex(sink.digest)).isEqualTo(sent);

        HashingSink again = new HashingSink();
        cli.stdout(again);
        ok(cli.run("download", "/backups/big.bin", "-"));
        assertThat(Md5.hex(again.digest)).isEqualTo(sent);
        assertThat(work.resolve("-")).doesNotExist();
    }

    @Test
    void catWritesSeveralFilesInTurnAndAnEmptyStdinMakesAnEmptyFile() throws Exception {
        ok(cli.runWithStdin("héllo\n", "upload", "-", "a.txt"));
        ok(cli.runWithStdin("", "upload", "-", "empty"));
        ok(cli.runWithStdin("world\n", "upload", "-", "dir b.txt"));
        assertThat(ok(cli.run("cat", "a.txt", "empty", "dir b.txt")).out()).isEqualTo("héllo\nworld\n");

        // An existing file is kept unless --overwrite says otherwise.
        Cli.Result refused = cli.runWithStdin("other", "upload", "-", "a.txt");
        assertThat(refused.code()).isEqualTo(ExitCode.REFUSED.value());
        ok(cli.runWithStdin("other", "upload", "--overwrite", "-", "a.txt"));
        assertThat(ok(cli.run("cat", "a.txt")).out()).isEqualTo("other");

        assertThat(cli.run("cat", "nope").code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(cli.runWithStdin("x", "upload", "-", "dir/").code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(spoolFiles()).isEmpty();
    }

    private java.util.List<Path> spoolFiles() throws Exception {
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.toList();
        }
    }

    /** {@code size} pseudo-random bytes, hashed as they are read. */
    private static final class RandomStream extends InputStream {
        final MessageDigest digest = Md5.newDigest();
        private final SplittableRandom random = new SplittableRandom(20);
        private long left;

        RandomStream(long size) {
            left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, Math.min(left, 64 << 10));
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt();
            }
            digest.update(b, off, n);
            left -= n;
            return n;
        }
    }

    /** Hashes and counts what is written, keeping nothing. */
    private static final class HashingSink extends OutputStream {
        final MessageDigest digest = Md5.newDigest();
        long count;

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }
    }
}
