package dev.netdisk.cli.shell;

import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.command.Failures;
import dev.netdisk.cli.session.EventText;
import dev.netdisk.cli.session.Jobs;
import dev.netdisk.cli.session.NotLoggedInException;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.Settings;
import dev.netdisk.cli.session.Times;
import dev.netdisk.cli.session.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell ({@code netdisk} with no command). On a terminal: a JLine line reader with
 * history, completion, progress bars, chat printed above the prompt, Ctrl-C clearing the line or
 * cancelling the running transfer, and background jobs ({@code upload ... &}, {@link Jobs}). With standard input not a terminal: one command per line, no
 * prompt, no bars, stop at the first failure. Runs on the calling thread.
 */
public final class Shell {

    private final Session session;
    private final Jobs.Runner jobRunner;

    public Shell(Session session) {
        this(session, LineCommands::execute);
    }

    /** A shell whose background jobs run their lines with {@code jobRunner} (tests hold a job back with it). */
    Shell(Session session, Jobs.Runner jobRunner) {
        this.session = session;
        this.jobRunner = jobRunner;
    }

    public int run() throws IOException {
        return session.env().stdinTerminal() ? interactive() : piped();
    }

    /** {@code netdisk < commands.txt}: plain lines, no JLine at all (LIBRARIES.md pitfall 1). */
    private int piped() throws IOException {
        session.console().setProgressBars(false);
        BufferedReader in = new BufferedReader(new InputStreamReader(session.env().stdin(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            List<List<String>> commands;
            try {
                commands = CommandSplitter.split(line);
                if (commands.stream().anyMatch(words -> words.get(words.size() - 1).equals("&"))) {
                    throw new UsageException("background jobs ('&' at the end) need the interactive shell");
                }
            } catch (UsageException e) {
                session.console().err().println("netdisk: " + e.getMessage());
                session.console().err().flush();
                return ExitCode.USAGE.value();
            }
            int code = LineCommands.executeAll(session, commands);
            if (code != ExitCode.OK.value()) {
                return code;
            }
            if (session.console().exitRequested()) {
                break;
            }
        }
        return ExitCode.OK.value();
    }

    private int interactive() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            return interactive(terminal);
        }
    }

    /** The shell on a given terminal (the system one, or an in-memory one in tests). */
    int interactive(Terminal terminal) throws IOException {
        Files.createDirectories(session.env().configDir());
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("netdisk")
                .parser(new ShellParser())
                .completer(new ShellCompleter(session))
                .variable(LineReader.HISTORY_FILE, session.env().configDir().resolve("history"))
                .variable(LineReader.HISTORY_FILE_SIZE, 5_000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .build();
        bindNewlineKey(reader);
        // A second reader without history, so a typed password never lands in the history file.
        LineReader secret = LineReaderBuilder.builder().terminal(terminal).build();
        session.setPrompt(prompt -> {
            try {
                return secret.readLine(prompt, '*').toCharArray();
            } catch (UserInterruptException | EndOfFileException e) {
                return null;
            }
        });
        session.console().setTerminalWidth(terminal::getWidth);
        session.setEventListener(chatPrinter(reader));
        session.setNotices(line -> session.console().printEvent(line, reader::printAbove));
        session.setWantsEvents(true);
        session.setOnUnreadChange(() -> redrawPrompt(reader));
        // Ctrl-C while a command runs: cancel the transfer, never the shell. (At the prompt the
        // line reader turns it into a UserInterruptException and clears the line.)
        terminal.handle(Terminal.Signal.INT, signal -> session.console().cancelTransfer());
        Jobs jobs = new Jobs(session, jobRunner, reader::printAbove);
        session.setJobs(jobs);

        greet(terminal);
        while (!session.console().exitRequested()) {
            String line;
            try {
                line = reader.readLine(session.prompt());
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            try {
                List<List<String>> commands = CommandSplitter.split(line, true);
                for (List<String> words : commands) {
                    if (inBackground(words)) {
                        start(jobs, words.subList(0, words.size() - 1));
                    } else if (LineCommands.execute(session, words) != ExitCode.OK.value()
                            || session.console().exitRequested()) {
                        break;
                    }
                }
            } catch (UsageException e) {
                session.console().err().println("netdisk: " + e.getMessage());
                session.console().err().flush();
            }
            // A command may have read messages (history, read) or logged in or out: count again for the prompt.
            session.refreshUnread();
        }
        int killed = jobs.killAll();
        if (killed > 0) {
            session.console().info("netdisk: stopping " + killed + " background job" + (killed == 1 ? "" : "s")
                    + "; their partial transfers are kept: run them again to resume");
            try {
                // A killed transfer ends within moments; its line still goes above the prompt.
                jobs.ended(null).get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // leave anyway: what arrived is kept either way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        session.setJobs(null);
        session.setOnUnreadChange(null);
        reader.getHistory().save();
        session.setEventListener(null);  // the terminal goes away; later events have nowhere to go
        return ExitCode.OK.value();
    }

    /** The verbs that may run in the background: they transfer, and need nothing typed meanwhile. */
    private static final java.util.Set<String> BACKGROUND = java.util.Set.of("upload", "put", "download", "get", "sync");

    /**
     * Whether {@code words} end with {@code &}, as lftp and sh put a command in the background.
     *
     * @throws UsageException a verb that cannot run there, or a bare {@code &}
     */
    static boolean inBackground(List<String> words) {
        if (!words.get(words.size() - 1).equals("&")) {
            return false;
        }
        if (words.size() < 2 || !BACKGROUND.contains(words.get(0).toLowerCase(java.util.Locale.ROOT))) {
            throw new UsageException("only upload, download and sync run in the background ('&' at the end)");
        }
        return true;
    }

    private void start(Jobs jobs, List<String> words) {
        try {
            int id = jobs.start(words);
            session.console().out().println("[" + id + "] " + String.join(" ", words) + " &");
            session.console().out().flush();
        } catch (IOException | RuntimeException e) {
            session.console().err().println("netdisk: " + Failures.of(e).message());
            session.console().err().flush();
        }
    }

    /**
     * Alt-Enter (Esc, Enter) starts a new line in the one being typed, for a chat message of several
     * lines; Enter still sends the whole.
     */
    static void bindNewlineKey(LineReader reader) {
        reader.getWidgets().put(NEWLINE_WIDGET, () -> {
            reader.getBuffer().write('\n');
            return true;
        });
        KeyMap<Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
        main.bind(new Reference(NEWLINE_WIDGET), KeyMap.alt('\r'));
        main.bind(new Reference(NEWLINE_WIDGET), KeyMap.alt('\n'));
    }

    private static final String NEWLINE_WIDGET = "netdisk-insert-newline";

    /** Connects and logs in if it can, and says how things stand; failures do not end the shell. */
    private void greet(Terminal terminal) {
        Settings s = session.settings();
        try {
            session.loggedIn();
            session.console().info("netdisk: connected to " + s.host() + ":" + s.port() + " as "
                    + session.current().map(c -> c.user()).orElse("?") + ". Type 'help' for commands, Alt-Enter for a new line in a message, Ctrl-D to leave.");
            session.refreshUnread();
            long unread = session.unread();
            if (unread > 0) {
                session.console().info("netdisk: " + unread + " unread message" + (unread == 1 ? "" : "s")
                        + ": 'unread' lists the conversations, 'history USER|#GROUP' shows and marks them read");
            }
        } catch (NotLoggedInException e) {
            session.console().info("netdisk: connected to " + s.host() + ":" + s.port()
                    + ", not logged in: use 'login USER' (or 'register USER'). Type 'help' for commands.");
        } catch (IOException | RuntimeException e) {
            Failures.Failure f = Failures.of(e);
            session.console().err().println("netdisk: " + f.message());
            session.console().err().flush();
        }
        terminal.flush();
    }

    /**
     * Shows the prompt again with the unread total now (any thread): JLine redraws the line being
     * typed under the new prompt, as it does for {@code printAbove}. Nothing to do between lines:
     * the next {@code readLine} asks for the prompt anew.
     */
    private void redrawPrompt(LineReader reader) {
        try {
            // setPrompt is on the implementation only; LineReaderBuilder always builds one.
            if (reader.isReading() && reader instanceof LineReaderImpl impl) {
                impl.setPrompt(session.prompt());
                reader.callWidget(LineReader.REDRAW_LINE);
                reader.callWidget(LineReader.REDISPLAY);
            }
        } catch (IllegalStateException finishedMeanwhile) {
            // readLine returned between the check and the redraw: the next one shows the new prompt
        }
    }

    private EventListener chatPrinter(LineReader reader) {
        Times times = session.settings().times();
        return new EventListener() {
            @Override
            public void chat(ChatMessage m) {
                session.console().printEvent(EventText.chat(m, times), reader::printAbove);
            }

            @Override
            public void presence(String user, boolean online) {
                session.console().printEvent(EventText.presence(user, online), reader::printAbove);
            }

            @Override
            public void other(String event) {
                session.console().printEvent(EventText.other(event), reader::printAbove);
            }

            @Override
            public void closed() {
                reader.printAbove("netdisk: the connection ended and could not be opened again; the next command tries");
            }
        };
    }
}
