package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.Quotas;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Set;

/** {@code MAKEDIR [-p] path} (alias {@code MKDIR}): creates a directory, and with {@code -p} its parents. */
final class MakedirCommand implements Command {

    private final FileTree tree;
    private final String verb;

    private final Quotas quotas;

    MakedirCommand(FileTree tree, Quotas quotas, String verb) {
        this.tree = tree;
        this.quotas = quotas;
        this.verb = verb;
    }

    @Override
    public String verb() {
        return verb;
    }

    @Override
    public String syntax() {
        return verb + " [-p] path";
    }

    @Override
    public String summary() {
        return "create a directory (-p: and its parents; no error if it exists)";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 1, Set.of("-p"));
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        try {
            // The entries limit is checked in the transaction that makes each directory: exact.
            tree.makeDirectory(session.requireUser().id(), path, args.has("-p"), quotas);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new dev.netdisk.server.protocol.CommandException(ReplyCode.FILE_UNAVAILABLE,
                    "no such directory: " + e.getFile());
        }
        return Reply.of(ReplyCode.PATH_CREATED, Arguments.forceQuote(path.toString()) + " created");
    }
}
