package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code HELP [verb]}: the syntax of every verb, or of one. */
final class HelpCommand implements Command {

    private final Supplier<CommandRegistry> registry;

    HelpCommand(Supplier<CommandRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public String verb() {
        return "HELP";
    }

    @Override
    public String syntax() {
        return "HELP [verb]";
    }

    @Override
    public String summary() {
        return "list the commands, or show one";
    }

    @Override
    public boolean needsLogin() {
        return false;
    }

    @Override
    public boolean runsOnSelector() {
        return true;
    }

    @Override
    public Outcome execute(Session session, Request request) throws CommandException {
        CommandArgs args = CommandArgs.parse(request, this, 0, 1, java.util.Set.of());
        if (args.count() == 1) {
            String verb = args.get(0).toUpperCase(Locale.ROOT);
            Command command = registry.get().find(verb).orElseThrow(() ->
                    new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown command: " + verb));
            return Reply.of(ReplyCode.HELP, command.syntax() + ": " + command.summary());
        }
        List<String> lines = new ArrayList<>();
        lines.add("commands (see docs/PROTOCOL.md):");
        for (Command command : registry.get().commands()) {
            lines.add("  " + command.syntax() + ": " + command.summary());
        }
        return Reply.multiline(ReplyCode.HELP, lines, "end of help");
    }
}
