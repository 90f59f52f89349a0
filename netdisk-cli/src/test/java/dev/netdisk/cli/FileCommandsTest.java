package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refusals of rm, rmdir, mv, cp, trash and du through the command line (exit codes and the one
 * stderr line), mv's and cp's "into an existing directory" rule, and a restore to another place.
 * The happy paths are in {@link CommandsTest}.
 */
class FileCommandsTest extends CliTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void aliceLoggedIn() {
        loggedIn("alice");
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private void refused(String expectedErr, String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(r.err()).as(r.toString()).startsWith(expectedErr).hasLineCount(1);
    }

    private void put(String remote, String content) throws Exception {
        Path f = Files.writeString(work.resolve("upload.tmp"), content);
        ok("upload", "--overwrite", f.toString(), remote);
    }

    /** The trash id that 'rm' printed: "trashed /x (trash id N)". */
    private String trashed(String remote) {
        String out = ok("rm", remote).out();
        return out.substring(out.lastIndexOf(' ') + 1, out.lastIndexOf(')'));
    }

    @Test
    void trashIdsAreNeverGivenAgainAfterARestoreOrAnEmptyTrash() throws Exception {
        put("/a.txt", "a");
        put("/b.txt", "b");
        put("/c.txt", "c");
        String a = trashed("/a.txt");
        String b = trashed("/b.txt");
        ok("trash", "restore", b);
        String c = trashed("/c.txt");
        ok("trash", "empty");
        String again = trashed("/b.txt");
        assertThat(java.util.List.of(a, b, c, again)).doesNotHaveDuplicates();
        assertThat(Long.parseLong(again)).isGreaterThan(Long.parseLong(c));
    }

    @Test
    void rmRmdirAndTrashRefusals() throws Exception {
        ok("makedir", "-p", "docs/sub");
        put("/docs/a.txt", "hello");
        put("/docs/sub/b.txt", "world!");

        refused("netdisk: rm: 550 is a directory: /docs", "rm", "docs");
        refused("netdisk: rm: 550 no such file or directory: /nope.txt", "rm", "nope.txt");
        refused("netdisk: rm: 553 ", "rm", "-r", "/");
        assertThat(cli.run("rm").code()).isEqualTo(ExitCode.USAGE.value());
        refused("netdisk: rmdir: 550 directory not empty: /docs", "rmdir", "docs");
        refused("netdisk: rmdir: 550 not a directory: /docs/a.txt", "rmdir", "docs/a.txt");

        ok("rm", "-r", "docs/sub");
        String line = ok("trash").out().lines().filter(l -> l.contains("/docs/sub")).findFirst().orElseThrow();
        String id = line.trim().split(" +")[0];
        refused("netdisk: trash: 550 no such trash item: 999", "trash", "restore", "999");
        assertThat(cli.run("trash", "restore").code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(cli.run("trash", "restore", "x").code()).isEqualTo(ExitCode.USAGE.value());

        // The place is taken: the restore is refused, and goes elsewhere when told where.
        ok("makedir", "docs/sub");
        refused("netdisk: trash: 521 already exists: /docs/sub", "trash", "restore", id);
        assertThat(ok("trash", "restore", id, "old sub").out()).isEqualTo("restored /old sub\n");
        assertThat(ok("ls", "old sub").out()).contains("b.txt");
        refused("netdisk: trash: 550 no such trash item: " + id, "trash", "restore", id);
    }

    @Test
    void mvAndCpGoIntoAnExistingDirectoryLikeTheirUnixNamesakes() throws Exception {
        ok("makedir", "docs", "photos");
        put("/a.txt", "aaa");
        put("/photos/p.jpg", "jpeg!");

        ok("mv", "a.txt", "docs");
        assertThat(ok("ls", "docs").out()).contains("a.txt");
        ok("mv", "docs/a.txt", "/");
        ok("mv", "a.txt", "docs/");
        ok("mv", "docs/a.txt", "docs/b.txt");
        ok("mv", "docs", "papers");
        assertThat(ok("ls", "papers").out()).contains("b.txt").doesNotContain("a.txt");

        refused("netdisk: mv: 521 already exists: /photos/p.jpg", "mv", "papers/b.txt", "photos/p.jpg");
        refused("netdisk: mv: 550 cannot move /papers into itself", "mv", "papers", "papers/inside");
        refused("netdisk: mv: 550 no such file or directory: /nope", "mv", "nope", "x");
        refused("netdisk: mv: 553 ", "mv", "/", "x");
        assertThat(cli.run("mv", "papers").code()).isEqualTo(ExitCode.USAGE.value());

        ok("cp", "photos", "papers");
        assertThat(ok("ls", "papers/photos").out()).contains("p.jpg");
        ok("cp", "papers/b.txt", "papers/c.txt");
        refused("netdisk: cp: 521 already exists: /papers/c.txt", "cp", "papers/b.txt", "papers/c.txt");
        refused("netdisk: cp: 550 cannot copy /papers into itself", "cp", "papers", "papers/inside");

        JsonNode du = JSON.readTree(ok("du", "--json", "papers").out());
        assertThat(du.get("size").asLong()).isEqualTo(3 + 3 + 5);
        assertThat(du.get("files").asLong()).isEqualTo(3);
        assertThat(du.get("dirs").asLong()).isEqualTo(2);
        refused("netdisk: du: 550 ", "du", "nope");
    }

    @Test
    void quotaCountsTheTrashUntilItIsEmptied() throws Exception {
        put("/a.bin", "0123456789");
        JsonNode q = JSON.readTree(ok("quota", "--json").out());
        assertThat(q.get("used").asLong()).isEqualTo(10);
        assertThat(q.get("trash").asLong()).isZero();
        assertThat(q.get("free").asLong()).isEqualTo(q.get("limit").asLong() - 10);

        ok("rm", "a.bin");
        JsonNode trashed = JSON.readTree(ok("quota", "--json").out());
        assertThat(trashed.get("used").asLong()).isEqualTo(10);
        assertThat(trashed.get("trash").asLong()).isEqualTo(10);
        ok("trash", "empty");
        assertThat(JSON.readTree(ok("quota", "--json").out()).get("used").asLong()).isZero();

        Cli.Result noLogin = cli.env(Env.USER, "nobody").run("quota");
        assertThat(noLogin.code()).isEqualTo(ExitCode.AUTH.value());
    }
}
