package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sync} both ways through the real command line: sends, deletions, --dry-run, the summary, links. */
class SyncCommandTest extends CliTestSupport {

    @BeforeEach
    void aliceLoggedIn() {
        loggedIn("alice");
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private void put(String remote, String content) {
        assertThat(cli.runWithStdin(content, "upload", "--overwrite", "-", remote).code()).isZero();
    }

    private static Path write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** The remote tree below {@code dir} as relative paths, directories with a trailing /. */
    private TreeSet<String> remoteTree(String dir) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok("ls", "-R", "--json", dir).out());
        TreeSet<String> names = new TreeSet<>();
        json.forEach(n -> names.add(n.get("name").asText() + (n.get("type").asText().equals("directory") ? "/" : "")));
        return names;
    }

    private static TreeSet<String> localTree(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            TreeSet<String> names = new TreeSet<>();
            all.filter(p -> !p.equals(root)).forEach(p -> names.add(root.relativize(p).toString().replace('\\', '/')
                    + (Files.isDirectory(p) ? "/" : "")));
            return names;
        }
    }

    @Test
    void upMakesTheRemoteDirectoryEqualAndDeletesToTheTrash() throws Exception {
        Path src = work.resolve("src");
        write(src.resolve("a.txt"), "new a");
        write(src.resolve("sub/b.txt"), "b");
        write(src.resolve("sp ace/é [1].txt"), "e");
        Files.createDirectories(src.resolve("empty"));
        // Another time than the remote "old a" of the same size, which is uploaded within the
        // same second: the same size and second would count as identical, as for rsync.
        Files.setLastModifiedTime(src.resolve("a.txt"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-02T03:04:05Z")));
        ok("makedir", "-p", "/backup/sub", "/backup/olddir/deep", "/backup/empty");
        put("/backup/a.txt", "old a");
        put("/backup/sub/b.txt", "b");
        put("/backup/extra.txt", "x");
        put("/backup/sub/old.txt", "o");
        put("/backup/olddir/deep/x", "x");
        TreeSet<String> before = remoteTree("/backup");

        Cli.Result dry = ok("sync", "--dry-run", "src", "/backup");
        assertThat(dry.out().lines().toList()).containsExactly(
                "would delete extra.txt (to the trash)",
                "would delete olddir/ (to the trash)",
                "would delete sub/old.txt (to the trash)",
                "would send a.txt (5 bytes)",
                "would make sp ace/",
                "would send sp ace/é [1].txt (1 bytes)",
                "sync --dry-run " + src + " -> /backup: would send 2 files (6 bytes), delete 3, 1 identical");
        assertThat(remoteTree("/backup")).as("a dry run changes nothing").isEqualTo(before);

        Cli.Result real = ok("sync", "src", "/backup");
        assertThat(real.out()).contains("trashed olddir/ (trash id ")
                .endsWith("sync " + src + " -> /backup: 2 sent (6 bytes), 1 identical, 3 deleted, 0 failed\n");
        assertThat(remoteTree("/backup")).isEqualTo(localTree(src));
        assertThat(ok("cat", "/backup/a.txt").out()).isEqualTo("new a");
        assertThat(ok("trash").out()).contains("/backup/extra.txt", "/backup/olddir", "/backup/sub/old.txt");

        Cli.Result again = ok("sync", "src", "/backup");
        assertThat(again.out()).endsWith("0 sent (0 bytes), 3 identical, 0 deleted, 0 failed\n");
    }

    @Test
    void downMakesTheLocalDirectoryEqualAndKeepsAPartFileForResume() throws Exception {
        ok("makedir", "-p", "/docs/sub");
        put("/docs/a.txt", "a");
        put("/docs/sub/b.txt", "bb");
        put("/docs/x", "now a file");
        Path dst = work.resolve("dst");
        write(dst.resolve("a.txt"), "a");
        write(dst.resolve("stale.txt"), "s");
        write(dst.resolve("old/deep.txt"), "d");
        write(dst.resolve("x/was-a-dir.txt"), "w");
        write(dst.resolve("sub/b.txt.part"), "b");  // an interrupted download of sub/b.txt

        Cli.Result dry = ok("sync", "-n", "/docs", "dst");
        assertThat(dry.out().lines().toList()).containsExactly(
                "would delete old/", "would delete stale.txt", "would delete x/",
                "would send sub/b.txt (2 bytes)", "would send x (10 bytes)",
                "sync --dry-run /docs -> " + dst + ": would send 2 files (12 bytes), delete 3, 1 identical");
        assertThat(dst.resolve("stale.txt")).exists();

        Cli.Result real = ok("sync", "/docs", "dst");
        // sub/b.txt resumes from its .part: 11 of the 12 bytes travel.
        assertThat(real.out()).contains("sub/b.txt (2 bytes, resumed at 1)")
                .endsWith("sync /docs -> " + dst + ": 2 sent (11 bytes), 1 identical, 3 deleted, 0 failed\n");
        assertThat(localTree(dst)).isEqualTo(remoteTree("/docs"));
        assertThat(dst.resolve("x")).hasContent("now a file");
    }

    @Test
    void linksAreNamedWhenSkippedAndFollowedWithL() throws Exception {
        Path src = work.resolve("links");
        write(src.resolve("real.txt"), "r");
        Path elsewhere = write(tmp.resolve("outside/o.txt"), "o");
        Files.createSymbolicLink(src.resolve("file-link"), elsewhere);
        Files.createSymbolicLink(src.resolve("dir-link"), elsewhere.getParent());
        Files.createSymbolicLink(src.resolve("dangling"), tmp.resolve("nowhere"));

        Cli.Result plain = ok("sync", "links", "/l");
        assertThat(plain.err().lines().toList()).containsExactlyInAnyOrder(
                "netdisk: sync: skipped " + src.resolve("dangling") + ": symbolic link (-L follows links)",
                "netdisk: sync: skipped " + src.resolve("dir-link") + ": symbolic link (-L follows links)",
                "netdisk: sync: skipped " + src.resolve("file-link") + ": symbolic link (-L follows links)",
                "netdisk: upload: skipped " + src.resolve("dangling") + ": symbolic link (-L follows links)",
                "netdisk: upload: skipped " + src.resolve("dir-link") + ": symbolic link (-L follows links)",
                "netdisk: upload: skipped " + src.resolve("file-link") + ": symbolic link (-L follows links)");
        assertThat(remoteTree("/l")).containsExactly("real.txt");

        Cli.Result followed = ok("sync", "-L", "links", "/l");
        assertThat(followed.err()).contains("skipped " + src.resolve("dangling") + ": dangling symbolic link")
                .doesNotContain("file-link");
        assertThat(remoteTree("/l")).containsExactly("dir-link/", "dir-link/o.txt", "file-link", "real.txt");

        Cli.Result upload = ok("upload", "-r", "links", "/u");
        assertThat(upload.err()).contains("netdisk: upload: skipped " + src.resolve("file-link"));
    }

    @Test
    void oneConflictInUploadRCountsOneFailedFile() throws Exception {
        Path src = work.resolve("tree");
        write(src.resolve("a.txt"), "a");
        write(src.resolve("d/x.txt"), "x");
        ok("makedir", "/t");
        put("/t/d", "a file where the directory goes");
        Cli.Result r = cli.run("upload", "-r", "tree", "/t");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(r.out()).contains(": 2 files: 1 uploaded (1 bytes), 0 identical skipped, 1 failed, 1 directories failed,");
        assertThat(r.err()).contains("1 of 2 files failed, 1 directories failed (first: ");
    }

    @Test
    void bothLocalNeedsADirection() throws Exception {
        Files.createDirectories(work.resolve("a"));
        Files.createDirectories(work.resolve("b"));
        Cli.Result r = cli.run("sync", "a", "b");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(r.err()).contains("--up").contains("--down");
        assertThat(List.of(ok("sync", "--up", "a", "b").out())).isNotEmpty();
    }
}
