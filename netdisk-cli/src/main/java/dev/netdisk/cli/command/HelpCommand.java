package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code help [COMMAND]}: lists the shell's commands, or shows one command's usage. */
@Command(name = "help", aliases = "?", description = "List the commands, or show how to use one.")
final class HelpCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "A command name.")
    String command;

    @Override
    void run(Session s) {
        Map<String, CommandLine> all = spec.root().commandLine().getSubcommands();
        if (command != null) {
            CommandLine sub = all.get(command);
            if (sub == null) {
                throw new UsageException("no such command: " + command + " (type 'help' for the list)");
            }
            sub.usage(s.console().out(), CommandLine.Help.Ansi.OFF);
            return;
        }
        s.console().out().println("Commands (type 'help COMMAND' for details):");
        Set<CommandLine> seen = new LinkedHashSet<>(all.values());
        for (CommandLine sub : seen) {
            String[] description = sub.getCommandSpec().usageMessage().description();
            String aliases = String.join(", ", sub.getCommandSpec().aliases());
            String name = sub.getCommandName() + (aliases.isEmpty() ? "" : " (" + aliases + ")");
            s.console().out().printf("  %-22s %s%n", name, description.length == 0 ? "" : description[0]);
        }
    }
}
