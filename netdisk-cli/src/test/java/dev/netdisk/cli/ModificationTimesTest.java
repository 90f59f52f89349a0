package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Modification times kept both ways (issue 20, point 1), through the real CLI against a real
 * server: {@code upload} sends the local time and {@code stat}/{@code ls --json} show it;
 * {@code download} sets it; {@code upload -r}, {@code download -r} and {@code sync} keep it, and
 * skip a file whose size and time match unless {@code --checksum} asks for the MD5.
 */
class ModificationTimesTest extends CliTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant OLD = Instant.parse("2020-01-02T03:04:05.678Z");
    private static final Instant OLDER = Instant.parse("2019-06-30T23:59:59.001Z");

    @BeforeEach
    void aliceLoggedIn() {
        loggedIn("alice");
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private Instant remoteTime(String path) throws Exception {
        return Instant.parse(JSON.readTree(ok("stat", "--json", path).out()).get("mtime").asText());
    }

    private static Path file(Path path, byte[] content, Instant mtime) throws Exception {
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        Files.setLastModifiedTime(path, FileTime.from(mtime));
        return path;
    }

    private static Instant localTime(Path path) throws Exception {
        return Files.getLastModifiedTime(path).toInstant();
    }

    @Test
    void oneFilesTimeRoundTripsBothWays() throws Exception {
        Path old = file(work.resolve("old.txt"), "hello".getBytes(StandardCharsets.UTF_8), OLD);
        ok("upload", old.toString(), "/");
        assertThat(remoteTime("/old.txt")).isEqualTo(OLD);
        JsonNode listed = JSON.readTree(ok("ls", "--json", "/").out()).get(0);
        assertThat(listed.get("mtime").asText()).isEqualTo(OLD.toString());
        assertThat(ok("ls", "-l", "/").out()).contains("2020-01-02");

        Path copy = work.resolve("copy.txt");
        ok("download", "/old.txt", copy.toString());
        assertThat(localTime(copy)).isEqualTo(OLD);

        // cp and mv keep it on the server.
        ok("cp", "/old.txt", "/copied.txt");
        ok("mv", "/copied.txt", "/moved.txt");
        assertThat(remoteTime("/moved.txt")).isEqualTo(OLD);
    }

    @Test
    void aFetchThroughALinkKeepsTheTimeToo() throws Exception {
        Path old = file(work.resolve("linked.txt"), "linked".getBytes(StandardCharsets.UTF_8), OLD);
        ok("upload", old.toString(), "/");
        String code = ok("link", "/linked.txt").out().trim().split(" ")[0];
        Path into = Files.createDirectories(work.resolve("fetched"));
        ok("fetch", code, into.toString());
        assertThat(localTime(into.resolve("linked.txt"))).isEqualTo(OLD);
    }

    @Test
    void recursiveTransfersKeepTimesAndSkipBySizeAndTimeUnlessChecksum() throws Exception {
        byte[] big = new byte[300_000];  // above the batch's in-memory limit: streamed
        new Random(7).nextBytes(big);
        Path tree = work.resolve("tree");
        file(tree.resolve("a.txt"), "alpha".getBytes(StandardCharsets.UTF_8), OLD);
        file(tree.resolve("sub/b.bin"), big, OLDER);
        ok("upload", "-r", tree.toString(), "/tree");
        assertThat(remoteTime("/tree/a.txt")).isEqualTo(OLD);
        assertThat(remoteTime("/tree/sub/b.bin")).isEqualTo(OLDER);

        Path back = work.resolve("back");
        ok("download", "-r", "/tree", back.toString());
        assertThat(localTime(back.resolve("a.txt"))).isEqualTo(OLD);
        assertThat(localTime(back.resolve("sub/b.bin"))).isEqualTo(OLDER);

        // The same size and time: identical without reading the file, so a change that kept both
        // (written over, its time set back) is not seen...
        file(tree.resolve("a.txt"), "ALPHA".getBytes(StandardCharsets.UTF_8), OLD);
        assertThat(ok("upload", "-r", tree.toString(), "/tree").out()).contains(": 2 files: 0 uploaded");
        assertThat(ok("cat", "/tree/a.txt").out()).isEqualTo("alpha");
        assertThat(ok("sync", "--dry-run", tree.toString(), "/tree").out()).contains("would send 0 files");
        // ...until --checksum asks for the MD5.
        assertThat(ok("sync", "--dry-run", "--checksum", tree.toString(), "/tree").out())
                .contains("would send a.txt (5 bytes)");
        assertThat(ok("upload", "-r", "--checksum", tree.toString(), "/tree").out()).contains(": 2 files: 1 uploaded");
        assertThat(ok("cat", "/tree/a.txt").out()).isEqualTo("ALPHA");

        // Downloading: the same rule on the local side (a.txt too is "alpha" here, "ALPHA" there, same time).
        file(back.resolve("sub/b.bin"), new byte[big.length], OLDER);
        assertThat(ok("download", "-r", "/tree", back.toString()).out()).contains(": 2 files: 0 downloaded");
        assertThat(Files.readAllBytes(back.resolve("sub/b.bin"))).isEqualTo(new byte[big.length]);
        assertThat(ok("sync", "--checksum", "/tree", back.toString()).out()).contains(": 2 sent");
        assertThat(Files.readAllBytes(back.resolve("sub/b.bin"))).isEqualTo(big);
        assertThat(Files.readString(back.resolve("a.txt"))).isEqualTo("ALPHA");
        assertThat(localTime(back.resolve("sub/b.bin"))).isEqualTo(OLDER);

        // A time that differs with the same bytes: the MD5 finds it identical, and the local copy takes the time.
        Files.setLastModifiedTime(back.resolve("a.txt"), FileTime.from(OLDER));
        assertThat(ok("download", "-r", "/tree", back.toString()).out()).contains(": 2 files: 0 downloaded");
        assertThat(localTime(back.resolve("a.txt"))).isEqualTo(OLD);
    }

    @Test
    void syncRefusesFollowingLinksWhenTheSourceIsRemote() throws Exception {
        ok("makedir", "/d");
        Cli.Result r = cli.run("sync", "-L", "/d", work.resolve("d").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(dev.netdisk.cli.command.ExitCode.USAGE.value());
        assertThat(r.err()).startsWith("netdisk: sync: -L follows links in a local SOURCE; this sync's SOURCE is "
                + "the remote /d");
    }
}
