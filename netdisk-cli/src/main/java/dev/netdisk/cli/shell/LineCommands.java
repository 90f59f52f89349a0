package dev.netdisk.cli.shell;

import dev.netdisk.cli.command.Commands;
import dev.netdisk.cli.command.PlainLanguage;
import dev.netdisk.cli.command.ErrorHandlers;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.SessionProvider;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of one shell line or one batch-script command: the remote verbs plus the local ones
 * ({@code lcd}, {@code lpwd}, {@code lls}), {@code help} and {@code exit}. A fresh
 * {@link CommandLine} is built for every line so no option value leaks into the next
 * (LIBRARIES.md pitfall 9); the {@link Session} is what carries over.
 */
@Command(name = "netdisk")
public final class LineCommands implements SessionProvider {

    /** What a line may run, in the order help lists them. */
    static final List<Class<?>> COMMANDS = Commands.LINE;

    private final Session session;

    private LineCommands(Session session) {
        this.session = session;
    }

    @Override
    public Session session() {
        return session;
    }

    /** A fresh command line for one line of input, with every command (for help and completion). */
    static CommandLine commandLine(Session session) {
        return commandLine(session, null);
    }

    /**
     * A fresh command line with only {@code only}'s command, or every command when null: picocli
     * reads every option of every command it is given, which a line that runs one need not pay
     * (as for one-shot commands, NetdiskMain.commandLine).
     */
    private static CommandLine commandLine(Session session, Class<?> only) {
        CommandLine cl = new CommandLine(new LineCommands(session));
        Commands.addSubcommands(cl, COMMANDS, only);
        cl.setOut(session.console().out());
        cl.setErr(session.console().err());
        cl.setSubcommandsCaseInsensitive(true);
        return ErrorHandlers.install(cl, name -> name == null
                ? "Type 'help' for the list of commands."
                : "Type 'help " + name + "' for its usage.");
    }

    /** Runs one command (its words, the command name first) and returns its exit code. */
    static int execute(Session session, List<String> words) {
        String name = words.get(0);
        Class<?> command = Commands.find(COMMANDS, name);
        if (command == null) {
            session.console().err().println("netdisk: " + PlainLanguage.unknownCommand(name, COMMANDS)
                    + " (type 'help' for the list of commands)");
            session.console().err().flush();
            return ExitCode.USAGE.value();
        }
        // help lists every command; any other line builds only its own.
        CommandLine cl = commandLine(session, Commands.isLineHelp(command) ? null : command);
        int code = cl.execute(words.toArray(String[]::new));
        session.console().out().flush();
        return code;
    }

    /** Runs commands in order and stops at the first failure, whose exit code it returns. */
    public static int executeAll(Session session, List<List<String>> commands) {
        for (List<String> words : commands) {
            int code = execute(session, words);
            if (code != ExitCode.OK.value()) {
                return code;
            }
            if (session.console().exitRequested()) {
                break;
            }
        }
        return ExitCode.OK.value();
    }
}
