package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.server.NetdiskServer;
import dev.netdisk.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rm, rmdir, mv, cp, trash, quota and du through the command line against a real server: output and exit codes. */
class FileCommandsTest {

    private static final String PASSWORD = "correct-horse";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private Cli cli;
    private Path work;

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new Cli(tmp.resolve("config"), work).server(server.port());
        cli.env(Env.PASSWORD, PASSWORD);
        assertThat(cli.run("register", "alice").code()).isZero();
        assertThat(cli.run("login", "alice").code()).isZero();
        cli.env(Env.PASSWORD, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private void put(String remote, String content) throws Exception {
        Path f = Files.writeString(work.resolve("upload.tmp"), content);
        ok("upload", "--overwrite", f.toString(), remote);
    }

    @Test
    void rmMovesToTheTrashAndRestoreBringsItBack() throws Exception {
        ok("makedir", "-p", "docs/sub");
        put("/docs/a.txt", "hello");
        put("/docs/sub/b.txt", "world!");

        Cli.Result rm = ok("rm", "docs/a.txt");
        assertThat(rm.out()).matches("trashed /docs/a\\.txt \\(trash id \\d+\\)\n");
        long id = Long.parseLong(rm.out().replaceAll("(?s).*id (\\d+).*", "$1"));

        Cli.Result dir = cli.run("rm", "docs");
        assertThat(dir.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(dir.err()).startsWith("netdisk: rm: 550 is a directory: /docs").hasLineCount(1);
        Cli.Result missing = cli.run("rm", "nope.txt");
        assertThat(missing.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(missing.err()).startsWith("netdisk: rm: 550 no such file or directory: /nope.txt");
        assertThat(cli.run("rm", "/").code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(cli.run("rm").code()).isEqualTo(ExitCode.USAGE.value());

        Cli.Result notEmpty = cli.run("rmdir", "docs");
        assertThat(notEmpty.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(notEmpty.err()).startsWith("netdisk: rmdir: 550 directory not empty: /docs");
        ok("makedir", "empty");
        assertThat(ok("rmdir", "empty").out()).startsWith("trashed /empty (trash id ");
        assertThat(ok("-q", "rm", "-r", "docs/sub").out()).isEmpty();

        Cli.Result list = ok("trash", "list");
        assertThat(list.out().lines()).hasSize(3);
        assertThat(list.out()).contains(" -            5  /docs/a.txt\n").contains(" d            0  /empty/\n")
                .contains(" d            6  /docs/sub/\n");
        JsonNode json = JSON.readTree(ok("trash", "list", "--json").out());
        assertThat(json).hasSize(3);
        assertThat(json.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(json.get(0).get("type").asText()).isEqualTo("file");
        assertThat(json.get(0).get("size").asLong()).isEqualTo(5);
        assertThat(json.get(0).get("path").asText()).isEqualTo("/docs/a.txt");
        assertThat(json.get(0).get("deleted").asText()).endsWith("Z");

        assertThat(ok("trash", "restore", Long.toString(id)).out()).isEqualTo("restored /docs/a.txt\n");
        assertThat(ok("ls", "docs").out()).contains("a.txt");
        Cli.Result gone = cli.run("trash", "restore", Long.toString(id));
        assertThat(gone.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(gone.err()).startsWith("netdisk: trash: 550 no such trash item: " + id);
        assertThat(cli.run("trash", "restore").code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(cli.run("trash", "restore", "x").code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(cli.run("trash", "shred").code()).isEqualTo(ExitCode.USAGE.value());

        // The place is taken: restore elsewhere.
        long subId = json.get(2).get("id").asLong();
        ok("makedir", "docs/sub");
        Cli.Result taken = cli.run("trash", "restore", Long.toString(subId));
        assertThat(taken.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(taken.err()).startsWith("netdisk: trash: 521 already exists: /docs/sub");
        assertThat(ok("trash", "restore", Long.toString(subId), "old sub").out()).isEqualTo("restored /old sub\n");
        assertThat(ok("ls", "old sub").out()).contains("b.txt");

        assertThat(ok("trash", "empty").out()).isEqualTo("trash emptied: 1 item, 0 bytes freed\n");
        assertThat(ok("trash").out()).isEmpty();
    }

    @Test
    void mvAndCpWorkLikeTheirUnixNamesakes() throws Exception {
        ok("makedir", "docs", "photos");
        put("/a.txt", "aaa");
        put("/photos/p.jpg", "jpeg!");

        // Into an existing directory, by name or with a trailing slash.
        assertThat(ok("mv", "a.txt", "docs").out()).isEqualTo("moved /a.txt to /docs/a.txt\n");
        assertThat(ok("mv", "docs/a.txt", "/").out()).isEqualTo("moved /docs/a.txt to /a.txt\n");
        assertThat(ok("mv", "a.txt", "docs/").out()).isEqualTo("moved /a.txt to /docs/a.txt\n");
        // Any other target is the new name.
        assertThat(ok("mv", "docs/a.txt", "docs/b.txt").out()).isEqualTo("moved /docs/a.txt to /docs/b.txt\n");
        assertThat(ok("rename", "docs", "papers").out()).isEqualTo("moved /docs to /papers\n");

        Cli.Result taken = cli.run("mv", "papers/b.txt", "photos/p.jpg");
        assertThat(taken.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(taken.err()).startsWith("netdisk: mv: 521 already exists: /photos/p.jpg");
        Cli.Result into = cli.run("mv", "papers", "papers/inside");
        assertThat(into.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(into.err()).contains("into itself");
        Cli.Result missing = cli.run("mv", "nope", "x");
        assertThat(missing.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(missing.err()).startsWith("netdisk: mv: 550 no such file or directory: /nope");
        assertThat(cli.run("mv", "papers").code()).isEqualTo(ExitCode.USAGE.value());

        // Several sources go into the last one, a directory.
        ok("makedir", "all");
        assertThat(ok("mv", "papers/b.txt", "photos/p.jpg", "all").out())
                .isEqualTo("moved /papers/b.txt to /all/b.txt\nmoved /photos/p.jpg to /all/p.jpg\n");

        assertThat(ok("cp", "all", "backup").out()).isEqualTo("copied /all to /backup (2 files, 8 bytes)\n");
        assertThat(ok("cp", "-r", "all/b.txt", "backup/c.txt").out())
                .isEqualTo("copied /all/b.txt to /backup/c.txt (1 file, 3 bytes)\n");
        assertThat(ok("copy", "all/b.txt", "papers").out()).isEqualTo("copied /all/b.txt to /papers/b.txt (1 file, 3 bytes)\n");
        Cli.Result again = cli.run("cp", "all", "backup/");
        assertThat(again.code()).isEqualTo(ExitCode.OK.value());
        Cli.Result exists = cli.run("cp", "all/b.txt", "backup/c.txt");
        assertThat(exists.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(exists.err()).startsWith("netdisk: cp: 521 already exists: /backup/c.txt");

        JsonNode du = JSON.readTree(ok("du", "--json", "backup", "/").out());
        assertThat(du.get(0).get("path").asText()).isEqualTo("/backup");
        assertThat(du.get(0).get("size").asLong()).isEqualTo(2 * 8 + 3);
        assertThat(du.get(0).get("files").asLong()).isEqualTo(5);
        assertThat(du.get(0).get("dirs").asLong()).isEqualTo(2);
        assertThat(ok("du", "all").out()).isEqualTo(String.format("%12d %8d %6d  %s%n", 8, 2, 1, "/all"));
        ok("cd", "/");
        assertThat(ok("du").out()).endsWith("  /\n");
        Cli.Result noDu = cli.run("du", "nope");
        assertThat(noDu.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(noDu.err()).startsWith("netdisk: du: 550 ");
    }

    @Test
    void quotaCountsTheTrashUntilItIsEmptied() throws Exception {
        put("/a.bin", "0123456789");
        JsonNode q = JSON.readTree(ok("quota", "--json").out());
        assertThat(q.get("used").asLong()).isEqualTo(10);
        assertThat(q.get("trash").asLong()).isZero();
        assertThat(q.get("limit").asLong()).isPositive();
        assertThat(q.get("free").asLong()).isEqualTo(q.get("limit").asLong() - 10);

        ok("rm", "a.bin");
        Cli.Result text = ok("quota");
        assertThat(text.out()).startsWith("used:  10 bytes (10 B)\ntrash: 10 bytes (10 B, part of used)\nlimit: ");
        assertThat(ok("trash", "empty").out()).isEqualTo("trash emptied: 1 item, 10 bytes freed\n");
        assertThat(JSON.readTree(ok("quota", "--json").out()).get("used").asLong()).isZero();

        cli.env(Env.USER, "nobody");
        Cli.Result noLogin = cli.run("quota");
        assertThat(noLogin.code()).isEqualTo(ExitCode.AUTH.value());
    }
}
