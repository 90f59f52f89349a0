package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code LS} and {@code STAT} show, over a raw socket: a big directory in full and in order,
 * awkward names, and paths after the tree changes under them (docs/PROTOCOL.md section 5).
 */
class ListingConversationTest extends ServerTestSupport {

    private static final String ENTRY_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    @Test
    void aBigDirectoryListsEveryEntryOnceInCodePointOrder() throws IOException {
        alice.command("MAKEDIR big");
        // Pipelined, so that making 3,000 entries takes moments; names mix cases, digits and non-ASCII.
        TreeSet<String> names = new TreeSet<>(ListingConversationTest::byCodePoint);
        for (int i = 0; i < 3_000; i++) {
            String name = String.format(Locale.ROOT, i % 3 == 0 ? "Dir %05d" : i % 3 == 1 ? "dir-%05d" : "é%05d", i);
            names.add(name);
            alice.send("MAKEDIR \"big/" + name + "\"");
        }
        for (int i = 0; i < 3_000; i++) {
            assertThat(alice.reply().code()).isEqualTo(257);
        }
        upload(alice, "\"big/zz file.txt\"", Payload.of("twelve bytes"));
        names.add("zz file.txt");

        Reply ls = alice.command("LS big");
        assertThat(ls.code()).isEqualTo(212);
        assertThat(ls.text()).isEqualTo("3001 entries");
        List<String> listed = new ArrayList<>();
        for (String line : ls.lines().subList(0, ls.lines().size() - 1)) {
            assertThat(line).matches("[df] \\d+ " + ENTRY_TIME + " (-|[0-9a-f]{32}) .+");
            listed.add(line.split(" ", 5)[4]);
        }
        assertThat(listed).containsExactlyElementsOf(names);
        // The one file's line is the same line STAT gives.
        assertThat(ls.lines()).contains(alice.command("STAT \"big/zz file.txt\"").text());
    }

    @Test
    void namesWithSpacesQuotesAndUnicodeComeBackAsTheyWereMade() throws IOException {
        String[] names = {"two  spaces", "say \"hi\"", "back\\slash", "grüße", "日本語", "emoji 🙂", "dash-", "x"};
        for (String name : names) {
            assertThat(alice.command("MAKEDIR " + quoted(name)).code()).as(name).isEqualTo(257);
        }
        upload(alice, "\"grüße/naïve file.txt\"", Payload.of("hello"));
        Reply ls = alice.command("LS /");
        List<String> listed = new ArrayList<>();
        for (String line : ls.lines().subList(0, ls.lines().size() - 1)) {
            listed.add(line.split(" ", 5)[4]);
        }
        TreeSet<String> expected = new TreeSet<>(ListingConversationTest::byCodePoint);
        expected.addAll(List.of(names));
        assertThat(listed).containsExactlyElementsOf(expected);
        for (String name : names) {
            assertThat(alice.command("STAT " + quoted(name)).text()).as(name)
                    .startsWith("d 0 ").endsWith(" - " + name)
                    .matches("d 0 " + ENTRY_TIME + " - .+");
        }
        Reply file = alice.command("LS \"grüße\"");
        assertThat(file.lines()).hasSize(2);
        assertThat(file.lines().get(0)).matches("f 5 " + ENTRY_TIME + " 5d41402abc4b2a76b9719d911017c592 naïve file.txt");
        assertThat(alice.command("STAT \"grüße/naïve file.txt\"").text()).isEqualTo(file.lines().get(0));
        assertThat(alice.command("LS \"grüße/naïve file.txt\"").lines().get(0)).isEqualTo(file.lines().get(0));
    }

    @Test
    void pathsFollowMovesRenamesAndRemovals() throws IOException {
        alice.command("MAKEDIR -p a/b/c");
        upload(alice, "a/b/c/f.txt", Payload.of("one"));
        assertThat(alice.command("STAT a/b/c/f.txt").code()).isEqualTo(213);

        assertThat(alice.command("MV a/b x").code()).isEqualTo(250);
        assertThat(alice.command("STAT a/b/c/f.txt").code()).isEqualTo(550);
        assertThat(alice.command("STAT x/c/f.txt").text()).endsWith(" f.txt");
        assertThat(alice.command("LS a")).hasToString("212 0 entries");

        // A new directory under the old name is a different one: nothing of the old one shows through.
        alice.command("MAKEDIR -p a/b/c");
        assertThat(alice.command("STAT a/b/c/f.txt").code()).isEqualTo(550);
        assertThat(alice.command("LS a/b/c")).hasToString("212 0 entries");

        assertThat(alice.command("RM -r x").code()).isEqualTo(250);
        assertThat(alice.command("STAT x/c/f.txt").code()).isEqualTo(550);
        assertThat(alice.command("LS x").code()).isEqualTo(550);

        assertThat(alice.command("MV a/b/c a/b/d").code()).isEqualTo(250);
        assertThat(alice.command("STAT a/b/c").code()).isEqualTo(550);
        assertThat(alice.command("STAT a/b/d").text()).endsWith(" - d");
    }

    @Test
    void deepPathsAndPathsThroughAFile() throws IOException {
        // 20 levels: deeper than the paths looked up in one statement, so both ways are used.
        StringBuilder path = new StringBuilder("d");
        for (int i = 1; i < 20; i++) {
            path.append("/d").append(i);
        }
        assertThat(alice.command("MAKEDIR -p " + path).code()).isEqualTo(257);
        upload(alice, path + "/f.txt", Payload.of("deep"));
        String[] names = path.toString().split("/");
        StringBuilder prefix = new StringBuilder();
        for (String name : names) {
            prefix.append(prefix.length() == 0 ? "" : "/").append(name);
            assertThat(alice.command("STAT " + prefix).text()).as(prefix.toString()).endsWith(" - " + name);
            assertThat(alice.command("STAT " + prefix + "/missing").code()).isEqualTo(550);
        }
        assertThat(alice.command("STAT " + path + "/f.txt").text()).startsWith("f 4 ");
        assertThat(alice.command("LS " + path).lines()).hasSize(2);
        // A file has no children, whatever the name after it.
        assertThat(alice.command("STAT " + path + "/f.txt/x").code()).isEqualTo(550);
        assertThat(alice.command("LS d/f.txt/x").code()).isEqualTo(550);
        assertThat(alice.command("STAT /").text()).startsWith("d 0 ").endsWith(" - /");
    }

    @Test
    void anotherUsersTreeIsNeverReached() throws IOException {
        alice.command("MAKEDIR private");
        ProtocolClient bob = loggedIn("bob");
        assertThat(bob.command("STAT private").code()).isEqualTo(550);
        assertThat(bob.command("LS /")).hasToString("212 0 entries");
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static int byCodePoint(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
