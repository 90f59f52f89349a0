package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.Node;

/** {@code STAT path}: one entry line for a file or directory. */
final class StatCommand implements Command {

    private final FileTree tree;

    StatCommand(FileTree tree) {
        this.tree = tree;
    }

    @Override
    public String verb() {
        return "STAT";
    }

    @Override
    public String syntax() {
        return "STAT path";
    }

    @Override
    public String summary() {
        return "show type, size, mtime and MD5 of one entry";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 1);
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        Node node = tree.lookup(session.requireUser().id(), path);
        return Reply.of(ReplyCode.FILE_STATUS, Entries.format(node, path.name()));
    }
}
