package dev.netdisk.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of one shell line or one batch-script command: the remote verbs plus the local ones
 * ({@code lcd}, {@code lpwd}, {@code lls}), {@code help} and {@code exit}. A fresh
 * {@link CommandLine} is built for every line so no option value leaks into the next
 * (LIBRARIES.md pitfall 9); the {@link Session} is what carries over.
 */
@Command(name = "netdisk", subcommands = {
        RegisterCommand.class, LoginCommand.class, LogoutCommand.class,
        PwdCommand.class, CdCommand.class, LsCommand.class, MakedirCommand.class, StatCommand.class,
        UploadCommand.class, DownloadCommand.class,
                RmCommand.class, RmdirCommand.class, MvCommand.class, CpCommand.class, DuCommand.class, QuotaCommand.class,
                TrashCommand.class, ShareCommand.class, SharesCommand.class, UnshareCommand.class, LinkCommand.class,
                LinksCommand.class, UnlinkCommand.class, FetchCommand.class,
                ChatCommand.class, FriendCommand.class, WhoCommand.class, UsersCommand.class, GroupCommand.class,
                HistoryCommand.class,
        LcdCommand.class, LpwdCommand.class, LlsCommand.class,
        HelpCommand.class, ExitCommand.class})
final class LineCommands implements SessionProvider {

    private final Session session;

    private LineCommands(Session session) {
        this.session = session;
    }

    @Override
    public Session session() {
        return session;
    }

    /** A fresh command line for one line of input. */
    static CommandLine commandLine(Session session) {
        CommandLine cl = new CommandLine(new LineCommands(session));
        cl.setOut(session.out());
        cl.setErr(session.err());
        cl.setSubcommandsCaseInsensitive(true);
        return ErrorHandlers.install(cl, name -> name == null
                ? "Type 'help' for the list of commands."
                : "Type 'help " + name + "' for its usage.");
    }

    /** Runs one command (its words, the command name first) and returns its exit code. */
    static int execute(Session session, List<String> words) {
        CommandLine cl = commandLine(session);
        String name = words.get(0);
        if (!cl.getSubcommands().containsKey(name) && !cl.getSubcommands().containsKey(name.toLowerCase(Locale.ROOT))) {
            session.err().println("netdisk: unknown command: " + name + " (type 'help' for the list of commands)");
            session.err().flush();
            return ExitCode.USAGE.value();
        }
        int code = cl.execute(words.toArray(String[]::new));
        session.out().flush();
        return code;
    }

    /** Runs commands in order and stops at the first failure, whose exit code it returns. */
    static int executeAll(Session session, List<List<String>> commands) {
        for (List<String> words : commands) {
            int code = execute(session, words);
            if (code != ExitCode.OK.value()) {
                return code;
            }
            if (session.exitRequested()) {
                break;
            }
        }
        return ExitCode.OK.value();
    }
}
