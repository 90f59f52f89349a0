package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.User;
import dev.netdisk.server.transfer.Ticket;
import java.util.Set;

/** {@code DOWNLOAD path [offset]}: hands out a ticket to receive a file's bytes from {@code offset}. */
final class DownloadCommand implements Command {

    private final FileTree tree;
    private final IssueTicket issuer;

    DownloadCommand(FileTree tree, IssueTicket issuer) {
        this.tree = tree;
        this.issuer = issuer;
    }

    @Override
    public String verb() {
        return "DOWNLOAD";
    }

    @Override
    public String syntax() {
        return "DOWNLOAD path [offset]";
    }

    @Override
    public String summary() {
        return "get a ticket to receive a file's bytes on a data connection, from offset (default 0)";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 2, Set.of());
        User user = session.requireUser();
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        long offset = args.count() > 1 ? args.nonNegativeLong(1, "offset") : 0;
        Node node = tree.find(user.id(), path).orElseThrow(() ->
                new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such file: " + path));
        if (node.directory()) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + path);
        }
        if (offset > node.size()) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "offset " + offset
                    + " is beyond the end of the file (" + node.size() + " bytes)");
        }
        Ticket.Download ticket = new Ticket.Download(user, path, node, offset,
                issuer.expiry());
        String id = issuer.issue(session, ticket);
        return Reply.of(ReplyCode.PENDING, "ticket=" + id + " offset=" + offset + " size=" + node.size()
                + " md5=" + node.md5() + " mtime=" + node.mtimeMillis() + " receive the bytes on a data connection");
    }
}
