package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** upload -r and download -r through the command line against a real server: mirror semantics and failures. */
class RecursiveTransferTest extends CliTestSupport {

    private static final String[] NAMES = {"plain", "with space", "çà et là", "日本語", "ünï cödé", "-dash", "a.b.c"};

    @BeforeEach
    void aliceLoggedIn() {
        loggedIn("alice");
    }

    /** {@code files} files of 0 to 2 KiB in nested directories with awkward names, plus empty directories. */
    private static void generate(Path root, int files, long seed) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < files; i++) {
            Path dir = root;
            int depth = random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                dir = dir.resolve(NAMES[random.nextInt(NAMES.length)] + " " + random.nextInt(3));
            }
            Files.createDirectories(dir);
            byte[] data = new byte[random.nextInt(2048)];
            random.nextBytes(data);
            Files.write(dir.resolve("f" + i + " " + NAMES[i % NAMES.length] + ".bin"), data);
        }
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("empty nested/日本語/deeper"));
    }

    /** Relative path to MD5 (files) or "dir" (directories) of everything below root. */
    private static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                result.put(rel, Files.isDirectory(p) ? "dir"
                        : Hex.encodeHexString(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p))));
            }
        }
        return result;
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void aGeneratedTreeMakesTheRoundTripIdenticalAndASecondRunTransfersNothing() throws Exception {
        Path source = work.resolve("source tree");
        generate(source, 1000, 42);
        Map<String, String> expected = digests(source);

        Cli.Result up = ok("upload", "-r", "source tree", "/backup/");
        assertThat(up.err()).isEmpty();
        assertThat(up.out().lines().filter(l -> l.startsWith("uploaded /backup/source tree/"))).hasSize(1000);
        assertThat(up.out()).contains(": 1000 files: 1000 uploaded (").contains(", 0 identical skipped, 0 failed,");

        Cli.Result down = ok("download", "-r", "--parallel", "3", "/backup/source tree", "copy");
        assertThat(down.out().lines().filter(l -> l.startsWith("downloaded "))).hasSize(1000);
        assertThat(digests(work.resolve("copy"))).isEqualTo(expected);

        Cli.Result upAgain = ok("upload", "-r", "--parallel", "1", "source tree", "/backup/source tree");
        assertThat(upAgain.out()).doesNotContain("uploaded /").contains(": 1000 files: 0 uploaded (0 bytes), 1000 identical skipped");
        Cli.Result downAgain = ok("download", "-r", "/backup/source tree", "copy");
        assertThat(downAgain.out()).doesNotContain("downloaded /")
                .contains(": 1000 files: 0 downloaded (0 bytes), 1000 identical skipped");
        assertThat(ok("-q", "download", "-r", "/backup/source tree", "copy").out()).isEmpty();

        // A changed file and a new one are all that moves; the rest is skipped.
        Path changed;
        try (Stream<Path> files = Files.walk(source)) {
            changed = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        Files.write(changed, new byte[] {1, 2, 3});
        Files.writeString(source.resolve("empty/new.txt"), "new");
        Cli.Result delta = ok("upload", "-r", "source tree", "/backup/");
        assertThat(delta.out()).contains(": 1001 files: 2 uploaded (6 bytes), 999 identical skipped");
        assertThat(ok("download", "-r", "/backup/source tree", "copy").out())
                .contains(": 1001 files: 2 downloaded (6 bytes), 999 identical skipped");
        assertThat(digests(work.resolve("copy"))).isEqualTo(digests(source));
    }

    @Test
    void aKeptPartialResumesAndAStaleOneIsReplaced() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Random random = new Random(3);
        byte[] a = new byte[10_000];
        byte[] b = new byte[10_000];
        random.nextBytes(a);
        random.nextBytes(b);
        Files.write(source.resolve("a.bin"), a);
        Files.write(source.resolve("b.bin"), b);
        ok("upload", "-r", "src", "/r");

        Path back = Files.createDirectories(work.resolve("back"));
        Files.write(back.resolve("a.bin.part"), java.util.Arrays.copyOf(a, 4000));  // an interrupted download
        Files.write(back.resolve("b.bin.part"), new byte[4000]);                     // of another version
        Cli.Result down = ok("download", "-r", "--parallel", "2", "/r", "back");
        assertThat(down.out()).contains("downloaded " + back.resolve("a.bin") + " (10000 bytes, resumed at 4000)")
                .contains("downloaded " + back.resolve("b.bin") + " (10000 bytes)")
                // 6000 to finish a.bin; 6000 of b.bin that failed the MD5 check, then all of it again.
                .contains(": 2 files: 2 downloaded (22000 bytes)");
        assertThat(Files.readAllBytes(back.resolve("a.bin"))).isEqualTo(a);
        assertThat(Files.readAllBytes(back.resolve("b.bin"))).isEqualTo(b);
        try (Stream<Path> left = Files.list(back)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.bin", "b.bin");
        }
    }

    @Test
    void onATerminalOneProgressLineIsDrawnOnStderr() throws Exception {
        Path source = work.resolve("src");
        Files.createDirectories(source);
        for (int i = 0; i < 20; i++) {
            Files.writeString(source.resolve("f" + i), "x".repeat(i * 100));
        }
        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        Env env = new Env(Map.of(Env.CONFIG_DIR, tmp.resolve("config").toString(), Env.HOST, "127.0.0.1",
                Env.PORT, Integer.toString(server.port())), java.io.InputStream.nullInputStream(),
                new java.io.PrintStream(bar, true, java.nio.charset.StandardCharsets.UTF_8), false, true, 100, work,
                prompt -> null);
        NetdiskCommand root = new NetdiskCommand(env);
        picocli.CommandLine cl = NetdiskMain.commandLine(root);
        java.io.StringWriter out = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
        int code;
        try {
            code = cl.execute("upload", "-r", "--parallel", "2", "src");
        } finally {
            root.close();
        }
        assertThat(code).isZero();
        assertThat(out.toString().lines().filter(l -> l.startsWith("uploaded /src/f"))).hasSize(20);
        String drawn = bar.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(drawn).contains("\rupload: ").containsPattern("upload: \\d+/20 files, [0-9.]+ (B|KiB) of 18\\.6 KiB, "
                + "[0-9.]+ MiB/s, ETA ");
        // Cleared at the end: the terminal is left with no half line.
        assertThat(drawn).endsWith("\r");
    }

    @Test
    void oneFailedFileDoesNotStopTheOthers() throws Exception {
        Path source = work.resolve("src");
        Files.createDirectories(source.resolve("sub"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(source.resolve("sub/f" + i + ".txt"), "file " + i);
        }
        ok("makedir", "-p", "/dst/sub/f2.txt");  // a directory where a file should go

        Cli.Result up = cli.run("upload", "-r", "--parallel", "2", "src", "/dst");
        assertThat(up.code()).as(up.toString()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(up.out().lines().filter(l -> l.startsWith("uploaded /dst/sub/"))).hasSize(4);
        assertThat(up.out()).contains(": 5 files: 4 uploaded (24 bytes), 0 identical skipped, 1 failed");
        assertThat(up.err()).isEqualTo("netdisk: upload: /dst/sub/f2.txt: 550 is a directory: /dst/sub/f2.txt\n"
                + "netdisk: upload: 1 of 5 files failed (first: 550 is a directory: /dst/sub/f2.txt)\n");

        Files.createDirectories(work.resolve("back/sub/f3.txt"));  // a local directory in the way
        Cli.Result down = cli.run("download", "-r", "/dst", "back");
        assertThat(down.code()).as(down.toString()).isEqualTo(ExitCode.LOCAL.value());
        assertThat(down.err()).startsWith("netdisk: download: /dst/sub/f3.txt: local file already exists")
                .contains("1 of 4 files failed");
        assertThat(Files.readString(work.resolve("back/sub/f4.txt"))).isEqualTo("file 4");

        // A target ending in / receives the mirror under the source's name.
        Cli.Result into = ok("download", "-r", "--parallel", "1", "/dst/sub", "into/");
        assertThat(into.out()).contains(" -> " + work.resolve("into/sub") + ": 4 files: 4 downloaded");
        assertThat(Files.readString(work.resolve("into/sub/f0.txt"))).isEqualTo("file 0");

        assertThat(cli.run("upload", "-r", "src", "a", "b").code()).isEqualTo(ExitCode.USAGE.value());
        Cli.Result noLocal = cli.run("upload", "-r", "nope");
        assertThat(noLocal.code()).isEqualTo(ExitCode.LOCAL.value());
        Cli.Result aFile = cli.run("download", "-r", "/dst/sub/f1.txt");
        assertThat(aFile.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(aFile.err()).contains("not a directory: /dst/sub/f1.txt");
        Cli.Result missing = cli.run("download", "-r", "/nope");
        assertThat(missing.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(cli.run("upload", "-r", "--parallel", "0", "src").code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(cli.run("upload", "-r", "--parallel", "17", "src").code()).isEqualTo(ExitCode.USAGE.value());
    }
}
