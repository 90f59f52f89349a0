package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import dev.netdisk.protocol.ProtocolClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, point 1: a chat message arrives exactly as typed, in the shell, in scripts and from
 * the command line; a {@code ;} never runs a command; any other argument with a control character
 * is refused before anything is sent.
 */
class ChatTextAsTypedTest extends CliTestSupport {

    @BeforeEach
    void friends() {
        loggedIn("alice");
        loggedIn("bob");
        assertThat(cli.run("--user", "alice", "friend", "add", "bob").code()).isZero();
        assertThat(cli.run("--user", "bob", "friend", "accept", "alice").code()).isZero();
    }

    @Test
    void theShellSendsTheRestOfTheLineByteForByte() throws Exception {
        Cli.Result r = cli.runWithStdin("""
                chat bob don't forget
                chat bob ok, will do; makedir /x
                chat bob path is C:\\temp "quoted"
                msg bob # and \\\\ and \\n stay
                """, "--user", "alice");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(texts()).containsExactly("don't forget", "ok, will do; makedir /x", "path is C:\\temp \"quoted\"",
                "# and \\\\ and \\n stay");
        assertThat(cli.run("--user", "alice", "ls", "/").out()).doesNotContain("x/");
    }

    @Test
    void aBatchScriptSendsTheLineAsTypedToo() throws Exception {
        Cli.Result r = cli.run("--user", "alice", "-c", "chat bob a; b \"c\"\nmakedir /y");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(texts()).containsExactly("a; b \"c\"");
        assertThat(cli.run("--user", "alice", "ls", "/").out()).contains("y/");
    }

    @Test
    void aMessageOfTwoLinesFromAnArgumentOrStandardInput() throws Exception {
        assertThat(cli.run("--user", "alice", "chat", "bob", "a\nb").code()).isZero();
        assertThat(cli.runWithStdin("line one\r\nline \\two\n", "--user", "alice", "chat", "bob", "-").code()).isZero();
        assertThat(texts()).containsExactly("a\nb", "line one\nline \\two");
        // On the wire the message is one escaped line (PROTOCOL.md section 7).
        try (ProtocolClient p = ProtocolClient.connect(server.port())) {
            assertThat(p.command("LOGIN bob " + PASSWORD).code()).isEqualTo(230);
            List<String> lines = p.command("HISTORY alice 2").body();
            assertThat(lines.get(0)).endsWith(" alice bob a\\nb");
            assertThat(lines.get(1)).endsWith(" alice bob line one\\nline \\\\two");
        }
        assertThat(cli.run("--user", "bob", "history", "alice").out()).contains("alice -> bob: a\n    b\n");
    }

    @Test
    void otherArgumentsWithControlCharactersAreRefusedBeforeAnythingIsSent() throws Exception {
        Cli.Result r = cli.run("--user", "alice", "makedir", "/with\nnewline");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(r.err()).hasLineCount(1).contains("holds a control character (U+000A)");
        Cli.Result bell = cli.run("--user", "alice", "chat", "bob", "ring\u0007");
        assertThat(bell.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(bell.err()).hasLineCount(1).contains("U+0007");
        String listing = cli.run("--user", "alice", "ls", "/").out();
        assertThat(listing).doesNotContain("with").doesNotContain("newline");
        assertThat(texts()).isEmpty();
    }

    /** The texts of the messages bob has from alice, oldest first, through the client library. */
    private List<String> texts() throws Exception {
        cli.env(Env.PASSWORD, PASSWORD);
        try (var client = dev.netdisk.cli.client.NetdiskClient.connect("localhost", server.port())) {
            client.login("bob", PASSWORD);
            return client.social().history("alice", 50, null).stream().map(m -> m.text()).toList();
        }
    }
}
