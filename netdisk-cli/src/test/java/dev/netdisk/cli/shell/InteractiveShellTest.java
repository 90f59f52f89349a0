package dev.netdisk.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Env;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.Settings;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JLine shell on an in-memory terminal: prompt, commands, events printed while idle, history;
 * the completer and reconnection against a real server.
 */
class InteractiveShellTest {

    private static final String PASSWORD = "correct-horse";

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private Session session;
    private StringWriter out;
    private StringWriter err;
    private Path work;

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        try (NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server)) {
            c.register("alice", PASSWORD);
            c.register("bob", PASSWORD);
        }
        work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(work.resolve("local dir"));
        Files.writeString(work.resolve("local dir/notes.txt"), "hi");
        Env env = new Env(Map.of(Env.CONFIG_DIR, tmp.resolve("config").toString(), Env.PASSWORD, PASSWORD),
                new ByteArrayInputStream(new byte[0]), new PrintStream(PrintStream.nullOutputStream()), true, false, 80,
                work, p -> null);
        out = new StringWriter();
        err = new StringWriter();
        session = new Session(env, new Settings("127.0.0.1", server.port(), "alice", null, false),
                new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @AfterEach
    void stop() {
        session.close();
        server.close();
    }

    @Test
    void aSessionOnATerminal() throws Exception {
        OnTerminal shell = new OnTerminal(Terminal.TYPE_DUMB);
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("alice@127.0.0.1:/> "));
        assertThat(err.toString()).contains("connected to 127.0.0.1:" + server.port() + " as alice");

        shell.type("makedir docs\n");
        shell.type("cd docs\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("alice@127.0.0.1:/docs> "));

        // A message arriving while the shell waits at the prompt is printed at once.
        try (NetdiskClient bob = dev.netdisk.cli.client.TestConnections.connect(server)) {
            bob.login("bob", PASSWORD);
            bob.social().friendAdd("alice");
            await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                    .contains("bob asks to be your friend"));
            shell.type("friend accept bob\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("you and bob are now friends"));
            bob.social().chat("alice", "hello shell");
            await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                    .contains("bob: hello shell"));
        }

        // (Ctrl-C is not typed here: on JLine's in-memory dumb terminal the interrupt is delivered
        // by a pump thread and is sometimes lost, so it was checked by hand in tmux instead.)
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .endsWith("alice@127.0.0.1:/docs> "));
        shell.type("pwd\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("/docs\n"));

        shell.type("nope\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("unknown command: nope"));

        shell.type("exit\n");
        assertThat(shell.exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(Files.readString(tmp.resolve("config/history"))).contains("makedir docs").contains("cd docs")
                .doesNotContain(PASSWORD);
        shell.terminal.close();
    }

    @Test
    void theShellTakesTheBacklogACronCommandLeftAndSendsMessagesAsTyped() throws Exception {
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port());
             NetdiskClient alice = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            alice.login("alice", PASSWORD);
            bob.social().friendAdd("alice");
            alice.social().friendAccept("bob");
            bob.social().chat("alice", "while you were out");
            // A cron job of alice's: logs in, lists, leaves. It takes nothing.
            assertThat(alice.files().ls(null)).isEmpty();
        }
        OnTerminal shell = new OnTerminal(Terminal.TYPE_DUMB);
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("bob: while you were out"));
        // Shown, so read: the marker moves for all of alice's connections.
        try (NetdiskClient other = NetdiskClient.connect("127.0.0.1", server.port())) {
            other.login("alice", PASSWORD);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.social().unread().isEmpty());
        }

        // Alt-Enter (Esc, CR) starts a second line of the message; quotes and ';' are text.
        shell.type("chat bob don't; \"quote\" C:\\temp\u001b\rsecond line\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("sent to bob"));
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            assertThat(bob.social().history("alice", 10, null)).extracting(m -> m.text())
                    .containsExactly("while you were out", "don't; \"quote\" C:\\temp\nsecond line");
        }
        shell.type("exit\n");
        assertThat(shell.exit.get(10, TimeUnit.SECONDS)).isZero();
        shell.terminal.close();
    }

    @Test
    void thePromptCountsUnreadMessagesAndFollowsWhatIsShownAndRead() throws Exception {
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port());
             NetdiskClient phone = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            phone.login("alice", PASSWORD);
            bob.social().friendAdd("alice");
            phone.social().friendAccept("bob");
            bob.social().group("CREATE", "team");
            bob.social().group("INVITE", "team", "alice");
            phone.social().group("JOIN", "team");
            bob.social().group("CREATE", "crew");
            bob.social().group("INVITE", "crew", "alice");
            // Delivered to alice's phone (it listens), never read there: unread, and no backlog for the shell.
            phone.social().listen(null);
            bob.social().chat("alice", "one");
            bob.social().chat("alice", "two");
            bob.social().chat("#team", "for the team");
        }
        OnTerminal shell = new OnTerminal(Terminal.TYPE_DUMB);
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("alice@127.0.0.1:/ [3 unread]> "));

        // history shows the private ones and marks them read: the next prompt counts one.
        shell.type("history bob\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .endsWith("alice@127.0.0.1:/ [1 unread]> "));

        // A live message of the group is shown, so read, with the one before it: the prompt is
        // redrawn without a count while alice types nothing.
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            bob.social().chat("#team", "live");
            await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                    .contains("#team bob: live"));
            await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                    .endsWith("alice@127.0.0.1:/> "));
        }

        // Pending invitations, declined; events in plain words.
        shell.type("group invites\n");
        await().atMost(Duration.ofSeconds(10)).failFast(() -> assertThat(err.toString()).doesNotContain("netdisk: group"))
                .until(() -> out.toString().contains("#crew")
                && out.toString().contains("invited by bob"));
        shell.type("group decline crew\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("declined the invitation to #crew"));
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            bob.social().group("INVITE", "crew", "alice");
            await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                    .contains("* bob invited you to #crew ('group join #crew' or 'group decline #crew')"));
        }
        assertThat(shell.screen()).doesNotContain("GROUP INVITED");
        shell.type("exit\n");
        assertThat(shell.exit.get(10, TimeUnit.SECONDS)).isZero();
        shell.terminal.close();
    }

    @Test
    void theShellReconnectsByItselfAfterARestartAndShowsEveryMessageOnce() throws Exception {
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port());
             NetdiskClient alice = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            alice.login("alice", PASSWORD);
            bob.social().friendAdd("alice");
            alice.social().friendAccept("bob");
        }
        OnTerminal shell = new OnTerminal(Terminal.TYPE_DUMB);
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("alice@127.0.0.1:/> "));
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            bob.social().chat("alice", "before the restart");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("bob: before the restart"));

        int port = server.port();
        server.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("was lost; reconnecting"));
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")).withPort(port));
        // Sent while the shell is away: kept, and shown when it is back, without a command typed.
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", port)) {
            bob.login("bob", PASSWORD);
            bob.social().chat("alice", "while you were away");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> shell.screen()
                .contains("bob: while you were away"));
        String text = shell.screen();
        assertThat(text.split("bob: before the restart", -1)).hasSize(2);
        assertThat(text.split("bob: while you were away", -1)).hasSize(2);
        shell.type("exit\n");
        assertThat(shell.exit.get(10, TimeUnit.SECONDS)).isZero();
        shell.terminal.close();
    }

    @Test
    void aRestartedServerIsReconnectedToWithTheSameSession() throws Exception {
        Env noPassword = new Env(Map.of(Env.CONFIG_DIR, tmp.resolve("config2").toString()),
                new ByteArrayInputStream(new byte[0]), new PrintStream(PrintStream.nullOutputStream()), false, false, 80,
                work, p -> null);
        try (Session s = new Session(noPassword, new Settings("127.0.0.1", server.port(), "alice", null, false),
                new PrintWriter(out, true), new PrintWriter(err, true))) {
            s.loginAndSave("alice", PASSWORD);
            Files.delete(tmp.resolve("config2/sessions.json"));  // only the token in memory is left
            assertThat(LineCommands.execute(s, List.of("makedir", "kept"))).isZero();

            int port = server.port();
            server.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> s.current().isEmpty());
            server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")).withPort(port));

            assertThat(LineCommands.execute(s, List.of("ls"))).as(err.toString()).isZero();
            assertThat(out.toString()).contains("kept/");
        }
    }

    @Test
    void ctrlDEndsTheShell() throws Exception {
        Terminal terminal = TerminalBuilder.builder().system(false)
                .streams(new ByteArrayInputStream("pwd\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream())
                .type(Terminal.TYPE_DUMB).build();
        assertThat(new Shell(session).interactive(terminal)).isZero();
        assertThat(out.toString()).isEqualTo("/\n");
    }

    @Test
    void completionOffersCommandsRemotePathsLocalPathsAndFriends() throws Exception {
        session.loggedIn().files().makedir("holiday photos", false);
        session.loggedIn().files().makedir("docs", false);
        ShellCompleter completer = new ShellCompleter(session);

        assertThat(complete(completer, "up")).contains("upload", "users");
        assertThat(complete(completer, "ls ")).contains("docs/", "holiday photos/");
        assertThat(complete(completer, "download /d")).contains("/docs/");
        assertThat(complete(completer, "upload l")).contains("local dir/");
        assertThat(complete(completer, "upload local\\ dir/")).contains("local dir/notes.txt");
        assertThat(complete(completer, "upload local\\ dir/notes.txt ")).contains("docs/");
        assertThat(complete(completer, "upload --")).contains("--overwrite");
        assertThat(complete(completer, "upload -r --parallel 2 l")).contains("local dir/");
        assertThat(complete(completer, "upload -r --parallel 2 local\\ dir ")).contains("docs/");
        assertThat(complete(completer, "friend ")).contains("add", "accept", "list");
        assertThat(complete(completer, "group ")).contains("create", "invite", "uninvite", "decline", "invites", "kick");
        assertThat(complete(completer, "help ")).contains("download", "lcd");
    }

    @Test
    void aCompletedNameKeepsItsWildcardCharactersLiteral() throws Exception {
        Path local = Files.writeString(work.resolve("w.txt"), "weird");
        session.loggedIn().upload(local, "/weird [1]*?.txt", dev.netdisk.cli.client.TransferOptions.DEFAULTS, null);
        // What the name matches as a pattern: 'ls' would list this one instead.
        session.loggedIn().upload(local, "/weird 1ab.txt", dev.netdisk.cli.client.TransferOptions.DEFAULTS, null);
        assertThat(ShellParser.escapeWildcards("weird\\ [1]*?.txt")).hasToString("weird\\ \\[1\\]\\*\\?.txt");
        assertThat(ShellParser.escapeWildcards("\"weird [1].txt\"")).hasToString("\"weird [1].txt\"");

        OnTerminal shell = new OnTerminal("xterm");  // a dumb terminal does not complete
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .contains("alice@127.0.0.1:/> "));
        // TAB completes the one name; as a pattern it would match 'weird 1ab.txt' (its [1] is one character).
        shell.type("stat /weird\\ \\[\t\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("weird [1]*?.txt")
                || err.toString().contains("netdisk:"));
        assertThat(err.toString()).doesNotContain("no such").doesNotContain("no match");
        int before = out.toString().length();
        shell.type("ls /weird\\ \\[\t\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().length() > before
                && out.toString().endsWith("\n") || err.toString().contains("netdisk: ls"));
        assertThat(out.toString().substring(before)).contains("weird [1]*?.txt").doesNotContain("1ab");
        shell.type("exit\n");
        assertThat(shell.exit.get(10, TimeUnit.SECONDS)).isZero();
        shell.terminal.close();
    }

    private static List<String> complete(ShellCompleter completer, String line) {
        List<Candidate> candidates = new java.util.ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    /** The shell running on an in-memory terminal of {@code type} (120 x 40 unless dumb): keys typed in, the screen read back. */
    private final class OnTerminal {
        private final PipedOutputStream keys = new PipedOutputStream();
        private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
        final Terminal terminal;
        /** The shell's exit code, once it ends. */
        final CompletableFuture<Integer> exit;

        OnTerminal(String type) throws IOException {
            TerminalBuilder builder = TerminalBuilder.builder().system(false)
                    .streams(new PipedInputStream(keys, 64 * 1024), shown).type(type);
            terminal = (Terminal.TYPE_DUMB.equals(type) ? builder : builder.size(new org.jline.terminal.Size(120, 40))).build();
            exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Shell(session).interactive(terminal);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** Everything the terminal has shown so far. */
        String screen() {
            return shown.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMarkerMovedOnAnotherConnectionRedrawsThePromptAndPrintsNothing() throws Exception {
        try (NetdiskClient bob = NetdiskClient.connect("127.0.0.1", server.port());
             NetdiskClient phone = NetdiskClient.connect("127.0.0.1", server.port())) {
            bob.login("bob", PASSWORD);
            phone.login("alice", PASSWORD);
            bob.social().friendAdd("alice");
            phone.social().friendAccept("bob");
            // Delivered to alice's phone (it listens), never read there: unread, and no backlog for the shell.
            phone.social().listen(null);
            bob.social().chat("alice", "one");
            bob.social().chat("alice", "two");
        }
        OnTerminal shell = new OnTerminal(Terminal.TYPE_DUMB);
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .endsWith("alice@127.0.0.1:/ [2 unread]> "));

        // Read on another connection (history on the laptop): the server tells the shell, whose
        // prompt loses its count while nothing is typed; the event itself is not shown.
        try (NetdiskClient laptop = NetdiskClient.connect("127.0.0.1", server.port())) {
            laptop.login("alice", PASSWORD);
            laptop.social().markRead("bob", null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.screen()
                .endsWith("alice@127.0.0.1:/> "));
        String shown = shell.screen();
        assertThat(shown).doesNotContain("READ").doesNotContain("the server says");
        shell.type("exit\n");
        assertThat(shell.exit.get(10, TimeUnit.SECONDS)).isZero();
        shell.terminal.close();
    }
}
