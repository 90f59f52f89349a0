package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Listings ({@code ls -l -h -R -t -S -r}) and remote wildcards in {@code ls}, {@code download},
 * {@code rm}, {@code mv} and {@code cp}, with names holding spaces, brackets and non-ASCII
 * letters, one-shot (the pattern as the outer shell passes it) and in a batch (quoting in our shell).
 */
class GlobCommandsTest extends CliTestSupport {

    private static final List<String> NAMES = List.of("a b.txt", "résumé.txt", "notes.md", "photo [1].jpg",
            "photo 1.jpg", ".hidden.txt");

    @BeforeEach
    void aliceWithFiles() {
        loggedIn("alice");
        ok("makedir", "-p", "/multi/sub dir");
        int size = 10;
        for (String name : NAMES) {
            ok(cli.runWithStdin("x".repeat(size), "upload", "-", "/multi/" + name));
            size *= 3;
        }
        ok(cli.runWithStdin("deep", "upload", "-", "/multi/sub dir/deep.txt"));
    }

    private Cli.Result ok(String... args) {
        return ok(cli.run(args));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private static List<String> names(Cli.Result r) {
        return r.out().lines().filter(l -> l.startsWith("-") || l.startsWith("d"))
                .map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList();
    }

    @Test
    void lsExpandsPatternsAndABackslashOrQuotesKeepThemLiteral() {
        assertThat(names(ok("ls", "-l", "/multi/*.txt"))).containsExactly("/multi/a b.txt", "/multi/résumé.txt");
        assertThat(names(ok("ls", "/multi/r?sum?.*"))).containsExactly("résumé.txt");
        // [1] is a set: it matches "photo 1.jpg"; escaped, the brackets are part of the name.
        assertThat(names(ok("ls", "/multi/photo [1].jpg"))).containsExactly("photo 1.jpg");
        assertThat(names(ok("ls", "/multi/photo \\[1\\].jpg"))).containsExactly("photo [1].jpg");
        assertThat(names(ok("-c", "ls '/multi/photo [1].jpg'"))).containsExactly("photo [1].jpg");
        assertThat(names(ok("-c", "ls /multi/photo\\ \\[1].jpg"))).containsExactly("photo [1].jpg");
        assertThat(names(ok("-c", "ls /multi/photo*"))).containsExactly("/multi/photo 1.jpg", "/multi/photo [1].jpg");
        assertThat(names(ok("ls", "/multi/[!aps]*"))).containsExactly("/multi/notes.md", "/multi/résumé.txt");
        // A pattern matching nothing stands for itself: the server's "no such file".
        Cli.Result none = cli.run("ls", "/multi/*.pdf");
        assertThat(none.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(none.err()).contains("/multi/*.pdf");
    }

    @Test
    void downloadRmMvAndCpTakePatterns() throws Exception {
        Path into = Files.createDirectories(work.resolve("got"));
        ok("download", "/multi/*.txt", into.toString());
        assertThat(into.resolve("a b.txt")).hasContent("x".repeat(10));
        assertThat(into.resolve("résumé.txt")).exists();
        assertThat(into.resolve(".hidden.txt")).doesNotExist();

        ok("makedir", "/pics", "/copies");
        ok("cp", "/multi/photo*", "/copies");
        ok("mv", "/multi/*.jpg", "/pics");
        assertThat(names(ok("ls", "/pics"))).containsExactly("photo 1.jpg", "photo [1].jpg");
        assertThat(names(ok("ls", "/copies"))).containsExactly("photo 1.jpg", "photo [1].jpg");
        Cli.Result notDir = cli.run("mv", "/pics/*", "/nowhere");
        assertThat(notDir.code()).isEqualTo(ExitCode.USAGE.value());

        ok("rm", "/copies/photo \\[1\\].jpg");
        assertThat(names(ok("ls", "/copies"))).containsExactly("photo 1.jpg");
        ok("-c", "rm /multi/*.txt");
        assertThat(names(ok("ls", "/multi"))).containsExactly(".hidden.txt", "notes.md", "sub dir/");
    }

    @Test
    void lsSortsBySizeOrTimeReversesAndRecurses() {
        assertThat(names(ok("ls", "-S", "/multi"))).containsExactly(".hidden.txt", "photo 1.jpg", "photo [1].jpg",
                "notes.md", "résumé.txt", "a b.txt", "sub dir/");
        assertThat(names(ok("ls", "-Sr", "/multi")).get(0)).isEqualTo("sub dir/");
        assertThat(names(ok("ls", "-r", "/multi")).get(0)).isEqualTo("sub dir/");
        assertThat(names(ok("ls", "-t", "/multi")).get(0)).isEqualTo(".hidden.txt");  // uploaded last

        Cli.Result human = ok("ls", "-lh", "/multi");
        assertThat(human.out()).contains("2.4 KiB  ").contains("10 B  ");

        Cli.Result tree = ok("ls", "-R", "/multi");
        assertThat(tree.out()).startsWith("/multi:\n").contains("\n/multi/sub dir:\n").endsWith("deep.txt\n");
        assertThat(names(tree)).contains("sub dir/", "deep.txt");
    }
}
