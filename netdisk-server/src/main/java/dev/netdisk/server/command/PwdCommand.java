package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;

/** {@code PWD}: the working directory, quoted. */
final class PwdCommand implements Command {
    @Override
    public String verb() {
        return "PWD";
    }

    @Override
    public String syntax() {
        return "PWD";
    }

    @Override
    public String summary() {
        return "print the working directory";
    }

    @Override
    public boolean runsOnSelector() {
        return true;
    }

    @Override
    public Outcome execute(Session session, Request request) throws CommandException {
        CommandArgs.exactly(request, this, 0);
        return Reply.of(ReplyCode.PATH_CREATED, Arguments.forceQuote(session.cwd().toString())
                + " is the current directory");
    }
}
