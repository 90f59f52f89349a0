package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PWD, CD, LS, MAKEDIR/MKDIR and STAT over a raw socket (docs/PROTOCOL.md section 5). */
class NavigationConversationTest extends ServerTestSupport {

    private static final String ENTRY_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    // ---- PWD ----

    @Test
    void pwdStartsAtTheRoot() throws IOException {
        assertThat(alice.command("PWD")).hasToString("257 \"/\" is the current directory");
    }

    @Test
    void pwdQuotesThePathAsAnArgument() throws IOException {
        alice.command("MAKEDIR \"say \\\"hi\\\"\"");
        alice.command("CD \"say \\\"hi\\\"\"");
        assertThat(alice.command("PWD")).hasToString("257 \"/say \\\"hi\\\"\" is the current directory");
    }

    @Test
    void pwdWithAnArgumentIs501() throws IOException {
        assertThat(alice.command("PWD /").code()).isEqualTo(501);
    }

    // ---- CD ----

    @Test
    void cdChangesTheWorkingDirectory() throws IOException {
        alice.command("MAKEDIR -p docs/2026");
        assertThat(alice.command("CD docs")).hasToString("250 \"/docs\" is the current directory");
        assertThat(alice.command("CD 2026")).hasToString("250 \"/docs/2026\" is the current directory");
        assertThat(alice.command("PWD").text()).isEqualTo("\"/docs/2026\" is the current directory");
        assertThat(alice.command("CD ..").text()).startsWith("\"/docs\"");
        assertThat(alice.command("CD /docs/2026/.//").text()).startsWith("\"/docs/2026\"");
    }

    @Test
    void cdWithoutAnArgumentGoesToTheRoot() throws IOException {
        alice.command("MAKEDIR docs");
        alice.command("CD docs");
        assertThat(alice.command("CD")).hasToString("250 \"/\" is the current directory");
    }

    @Test
    void cdToAMissingDirectoryIs550AndStaysPut() throws IOException {
        alice.command("MAKEDIR docs");
        alice.command("CD docs");
        assertThat(alice.command("CD nowhere")).hasToString("550 no such directory: /docs/nowhere");
        assertThat(alice.command("PWD").text()).startsWith("\"/docs\"");
    }

    @Test
    void cdToAFileIs550() throws IOException {
        upload(alice, "notes.txt", Payload.of("hello"));
        assertThat(alice.command("CD notes.txt")).hasToString("550 no such directory: /notes.txt");
    }

    @Test
    void cdAboveTheRootIs553() throws IOException {
        Reply reply = alice.command("CD ..");
        assertThat(reply.code()).isEqualTo(553);
        assertThat(reply.text()).startsWith("path escapes your root");
    }

    @Test
    void cdWithTwoArgumentsIs501() throws IOException {
        assertThat(alice.command("CD a b").code()).isEqualTo(501);
    }

    @Test
    void cdWithBadQuotingIs501() throws IOException {
        assertThat(alice.command("CD \"unclosed").text()).isEqualTo("unclosed quote in arguments");
    }

    // ---- LS ----

    @Test
    void anEmptyDirectoryIsOneLine() throws IOException {
        assertThat(alice.command("LS")).hasToString("212 0 entries");
    }

    @Test
    void lsListsEntriesSortedByCodePointWithACount() throws IOException {
        alice.command("MAKEDIR \"holiday photos\"");
        alice.command("MAKEDIR Zebra");
        upload(alice, "notes.txt", Payload.of("hello world\n"));
        upload(alice, "\u00e9t\u00e9.txt", Payload.of(""));

        Reply reply = alice.command("LS");
        assertThat(reply.code()).isEqualTo(212);
        assertThat(reply.text()).isEqualTo("4 entries");
        List<String> entries = reply.lines().subList(0, 4);
        assertThat(entries.get(0)).matches("d 0 " + ENTRY_TIME + " - Zebra");
        assertThat(entries.get(1)).matches("d 0 " + ENTRY_TIME + " - holiday photos");
        assertThat(entries.get(2)).matches("f 12 " + ENTRY_TIME + " 6f5902ac237024bdd0c176cb93063dc4 notes.txt");
        assertThat(entries.get(3)).matches("f 0 " + ENTRY_TIME + " " + EMPTY_MD5 + " \u00e9t\u00e9.txt");
    }

    @Test
    void lsSortsByCodePointNotByUtf16() throws IOException {
        // U+FB01 sorts before U+1F600 by code point, after it in UTF-16 (a surrogate pair starts with U+D83D)
        alice.command("MAKEDIR \uD83D\uDE00");
        alice.command("MAKEDIR \uFB01");
        alice.command("MAKEDIR z");
        assertThat(ls(alice, "")).extracting(e -> e.substring(e.lastIndexOf(' ') + 1))
                .containsExactly("z", "\uFB01", "\uD83D\uDE00");
    }

    @Test
    void aPathOver4096BytesIs553() throws IOException {
        String longest = ("/" + "x".repeat(127)).repeat(32);
        assertThat(alice.command("MAKEDIR -p " + longest).code()).isEqualTo(257);
        Reply reply = alice.command("MAKEDIR -p " + longest + "/y");
        assertThat(reply.code()).isEqualTo(553);
        assertThat(reply.text()).startsWith("path too long (max 4096 bytes)");
    }

    @Test
    void oneEntryIsCountedInTheSingular() throws IOException {
        alice.command("MAKEDIR a");
        assertThat(alice.command("LS").text()).isEqualTo("1 entry");
    }

    @Test
    void lsOfAPathListsThatDirectory() throws IOException {
        alice.command("MAKEDIR -p a/b");
        assertThat(ls(alice, "a")).singleElement().asString().endsWith(" - b");
        assertThat(ls(alice, "/a/b")).isEmpty();
        alice.command("CD a/b");
        assertThat(ls(alice, "..")).singleElement().asString().endsWith(" - b");
        assertThat(ls(alice, "/")).singleElement().asString().endsWith(" - a");
    }

    @Test
    void lsOfAFileListsThatFile() throws IOException {
        upload(alice, "notes.txt", Payload.of("hello world\n"));
        Reply reply = alice.command("LS notes.txt");
        assertThat(reply.lines()).hasSize(2);
        assertThat(reply.lines().get(0)).endsWith(" 6f5902ac237024bdd0c176cb93063dc4 notes.txt");
        assertThat(reply.text()).isEqualTo("1 entry");
    }

    @Test
    void lsOfAMissingPathIs550() throws IOException {
        assertThat(alice.command("LS nothing")).hasToString("550 no such file or directory: /nothing");
    }

    @Test
    void lsAboveTheRootIs553() throws IOException {
        assertThat(alice.command("LS /../..").code()).isEqualTo(553);
    }

    @Test
    void lsWithTwoArgumentsIs501() throws IOException {
        assertThat(alice.command("LS a b").code()).isEqualTo(501);
    }

    // ---- MAKEDIR / MKDIR ----

    @Test
    void makedirCreatesADirectory() throws IOException {
        assertThat(alice.command("MAKEDIR docs")).hasToString("257 \"/docs\" created");
        assertThat(alice.command("MKDIR docs/2026")).hasToString("257 \"/docs/2026\" created");
        assertThat(alice.command("STAT docs/2026").text()).matches("d 0 " + ENTRY_TIME + " - 2026");
    }

    @Test
    void makedirOfAnExistingPathIs521() throws IOException {
        alice.command("MAKEDIR docs");
        assertThat(alice.command("MAKEDIR docs")).hasToString("521 already exists: /docs");
        upload(alice, "f", Payload.of("x"));
        assertThat(alice.command("MKDIR f")).hasToString("521 already exists: /f");
        assertThat(alice.command("MAKEDIR /").code()).isEqualTo(521);
    }

    @Test
    void makedirWithoutItsParentIs550() throws IOException {
        assertThat(alice.command("MAKEDIR a/b/c")).hasToString("550 no such directory: /a");
        assertThat(ls(alice, "")).isEmpty();
    }

    @Test
    void makedirUnderAFileIs550() throws IOException {
        upload(alice, "f", Payload.of("x"));
        assertThat(alice.command("MAKEDIR f/sub")).hasToString("550 no such directory: /f");
    }

    @Test
    void makedirDashPCreatesParentsAndAcceptsAnExistingDirectory() throws IOException {
        assertThat(alice.command("MAKEDIR -p a/b/c")).hasToString("257 \"/a/b/c\" created");
        assertThat(alice.command("MKDIR -p a/b/c").code()).isEqualTo(257);
        assertThat(alice.command("MAKEDIR -p /").code()).isEqualTo(257);
        assertThat(ls(alice, "a/b")).singleElement().asString().endsWith(" - c");
    }

    @Test
    void makedirDashPThroughAFileIs521() throws IOException {
        upload(alice, "f", Payload.of("x"));
        assertThat(alice.command("MAKEDIR -p f/sub/deeper")).hasToString("521 already exists: /f");
        assertThat(alice.command("MAKEDIR -p f")).hasToString("521 already exists: /f");
    }

    @Test
    void makedirWithBadArgumentsIs501() throws IOException {
        assertThat(alice.command("MAKEDIR").code()).isEqualTo(501);
        assertThat(alice.command("MAKEDIR a b").code()).isEqualTo(501);
        assertThat(alice.command("MAKEDIR -q a").text()).startsWith("unknown option -q");
    }

    @Test
    void makedirOfANameStartingWithADashNeedsDashDash() throws IOException {
        assertThat(alice.command("MAKEDIR -- -x")).hasToString("257 \"/-x\" created");
        assertThat(alice.command("MAKEDIR ./-y")).hasToString("257 \"/-y\" created");
    }

    @Test
    void makedirOfABadNameIs553AndCreatesNothing() throws IOException {
        assertThat(alice.command("MAKEDIR " + "n".repeat(256)).text()).startsWith("file name too long");
        assertThat(alice.command("MAKEDIR ../x").code()).isEqualTo(553);
        assertThat(alice.command("MAKEDIR \"\"").code()).isEqualTo(521);
        assertThat(ls(alice, "/")).isEmpty();
    }

    @Test
    void makedirStoresNamesInNfc() throws IOException {
        assertThat(alice.command("MAKEDIR cafe\u0301").text()).isEqualTo("\"/caf\u00e9\" created");
        assertThat(alice.command("MAKEDIR caf\u00e9").code()).isEqualTo(521);
        assertThat(alice.command("CD caf\u00e9").code()).isEqualTo(250);
    }

    // ---- STAT ----

    @Test
    void statDescribesAFile() throws IOException {
        alice.command("MAKEDIR docs");
        upload(alice, "\"docs/report 2026.txt\"", Payload.of("hello world\n"));
        assertThat(alice.command("STAT \"/docs/report 2026.txt\"").text())
                .matches("f 12 " + ENTRY_TIME + " 6f5902ac237024bdd0c176cb93063dc4 report 2026.txt");
    }

    @Test
    void statOfTheRootIsNamedSlash() throws IOException {
        assertThat(alice.command("STAT /").text()).matches("d 0 " + ENTRY_TIME + " - /");
        assertThat(alice.command("STAT .").code()).isEqualTo(213);
    }

    @Test
    void statOfAMissingPathIs550() throws IOException {
        assertThat(alice.command("STAT nothing.txt")).hasToString("550 no such file or directory: /nothing.txt");
    }

    @Test
    void statAboveTheRootIs553() throws IOException {
        assertThat(alice.command("STAT ../x").code()).isEqualTo(553);
    }

    @Test
    void statWithoutAPathIs501() throws IOException {
        assertThat(alice.command("STAT").code()).isEqualTo(501);
    }
}
