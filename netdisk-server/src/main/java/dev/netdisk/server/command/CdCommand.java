package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.Node;
import java.util.Optional;
import java.util.Set;

/** {@code CD [path]}: changes the working directory; no path means the root. */
final class CdCommand implements Command {

    private final FileTree tree;

    CdCommand(FileTree tree) {
        this.tree = tree;
    }

    @Override
    public String verb() {
        return "CD";
    }

    @Override
    public String syntax() {
        return "CD [path]";
    }

    @Override
    public String summary() {
        return "change the working directory";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 0, 1, Set.of());
        RemotePath target = RemotePath.resolve(session.cwd(), args.get(0, "/"));
        Optional<Node> node = tree.find(session.requireUser().id(), target);
        if (node.isEmpty() || !node.get().directory()) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such directory: " + target);
        }
        session.cd(target);
        return Reply.of(ReplyCode.FILE_ACTION_OK, Arguments.forceQuote(target.toString()) + " is the current directory");
    }
}
