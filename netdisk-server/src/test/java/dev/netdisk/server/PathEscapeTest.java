package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every user sees only their own tree: paths that climb above the root are refused and touch
 * nothing, and no path of one user reaches another's files (docs/PROTOCOL.md section 5).
 */
@ExtendWith(RobustnessTally.class)
class PathEscapeTest extends ServerTestSupport {

    private static final Payload SECRET = Payload.of("bob's secret");

    private ProtocolClient alice;
    private ProtocolClient bob;

    @BeforeEach
    void twoUsers() throws IOException {
        bob = loggedIn("bob");
        bob.command("MAKEDIR -p bdir/inner");
        upload(bob, "secret.txt", SECRET);
        upload(bob, "bdir/inner.txt", SECRET);
        alice = loggedIn("alice");
        alice.command("MAKEDIR docs");
    }

    @Test
    void cdAboveTheRootIsRefusedAndTheWorkingDirectoryStays() throws IOException {
        alice.command("CD docs");
        for (String path : List.of("../..", "../../..", "/..", "/docs/../..", "../../bob")) {
            RobustnessTally.tried(PathEscapeTest.class, "path escape attempts", 1);
            Reply reply = alice.command("CD " + path);
            assertThat(reply.code()).as("CD %s: %s", path, reply).isEqualTo(553);
            assertThat(reply.text()).startsWith("path escapes your root: ");
        }
        assertThat(alice.command("PWD").text()).startsWith("\"/docs\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../..", "..", "/..", "../bob", "/../bob/secret.txt", "docs/../../bob"})
    void lsAndStatAboveTheRootAreRefused(String path) throws IOException {
        RobustnessTally.tried(PathEscapeTest.class, "path escape attempts", 4);
        assertThat(alice.command("LS " + path).code()).isEqualTo(553);
        assertThat(alice.command("STAT " + path).code()).isEqualTo(553);
        assertThat(alice.command("DOWNLOAD " + path).code()).isEqualTo(553);
        assertThat(alice.command("MAKEDIR -p " + path).code()).isEqualTo(553);
    }

    @Test
    void uploadAboveTheRootIsRefusedAndStoresNothing() throws IOException {
        Payload x = Payload.of("x");
        for (String path : List.of("../x", "/../x", "docs/../../x", "../bob/secret.txt", "\"x/../../y\"")) {
            RobustnessTally.tried(PathEscapeTest.class, "path escape attempts", 1);
            Reply reply = alice.command("UPLOAD " + path + " 1 " + x.md5() + " --overwrite");
            assertThat(reply.code()).as("UPLOAD %s: %s", path, reply).isEqualTo(553);
        }
        assertThat(ls(alice, "/")).singleElement().asString().endsWith(" - docs");
        assertThatBobsTreeIsUntouched();
    }

    @Test
    void aSlashIsAlwaysASeparatorNeverPartOfAName() throws IOException {
        Payload x = Payload.of("x");
        // "a/b" is b inside a, and a does not exist
        assertThat(alice.command("MAKEDIR \"a/b\"")).hasToString("550 no such directory: /a");
        assertThat(alice.command("UPLOAD \"a/b\" 1 " + x.md5())).hasToString("550 no such directory: /a");
        // inside docs it is a file b in docs, not a name with a slash
        assertThat(upload(alice, "\"docs/b\"", x).text()).endsWith(" stored /docs/b");
        assertThat(ls(alice, "docs")).singleElement().asString().endsWith(" b");
    }

    @Test
    void namesThatOnlyLookLikeEscapesAreOrdinaryNames() throws IOException {
        Payload x = Payload.of("x");
        for (String name : List.of("..%2f..%2fx", "..\\\\..\\\\x", "...", ".. ")) {
            RobustnessTally.tried(PathEscapeTest.class, "path escape attempts", 1);
            String arg = "\"" + name + "\"";
            assertThat(upload(alice, arg, x).code()).as(name).isEqualTo(226);
        }
        assertThat(ls(alice, "/")).hasSize(5);
        assertThatBobsTreeIsUntouched();
    }

    @Test
    void noPathOfAliceReachesBobsFiles() throws IOException {
        for (String path : List.of("/secret.txt", "secret.txt", "./secret.txt", "/bdir/inner.txt", "bob/secret.txt",
                "/bob/secret.txt", "~bob/secret.txt", "docs/../secret.txt")) {
            RobustnessTally.tried(PathEscapeTest.class, "path escape attempts", 3);
            assertThat(alice.command("STAT " + path).code()).as("STAT %s", path).isEqualTo(550);
            assertThat(alice.command("LS " + path).code()).as("LS %s", path).isEqualTo(550);
            assertThat(alice.command("DOWNLOAD " + path).code()).as("DOWNLOAD %s", path).isEqualTo(550);
        }
        assertThat(alice.command("CD /bdir").code()).isEqualTo(550);
        assertThat(alice.command("UPLOAD /bdir/x 1 " + SECRET.md5()).code()).isEqualTo(550);

        // alice's own files of the same names are hers alone
        assertThat(alice.command("MAKEDIR bdir").code()).isEqualTo(257);
        Payload mine = Payload.of("alice's file");
        assertThat(upload(alice, "secret.txt", mine).code()).isEqualTo(226);
        assertThat(download(alice, "secret.txt", 0)).isEqualTo(mine.md5());
        assertThatBobsTreeIsUntouched();
    }

    @Test
    void nothingIsWrittenOutsideTheDataDirectory() throws IOException {
        Payload x = Payload.of("x");
        alice.command("UPLOAD ../x 1 " + x.md5());
        alice.command("MAKEDIR -p ../../etc");
        RobustnessTally.tried(PathEscapeTest.class, "path escape attempts", 2);
        upload(alice, "docs/x", x);
        try (Stream<Path> beside = Files.list(tempDir)) {
            assertThat(beside).containsExactly(dataDir());
        }
        try (Stream<Path> all = Files.walk(tempDir)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("x", "etc", "docs");
        }
    }

    private void assertThatBobsTreeIsUntouched() throws IOException {
        assertThat(ls(bob, "/")).hasSize(2)
                .satisfiesExactly(e -> assertThat(e).endsWith(" - bdir"), e -> assertThat(e).endsWith(" secret.txt"));
        assertThat(ls(bob, "/bdir")).hasSize(2);
        assertThat(download(bob, "secret.txt", 0)).isEqualTo(SECRET.md5());
    }
}
