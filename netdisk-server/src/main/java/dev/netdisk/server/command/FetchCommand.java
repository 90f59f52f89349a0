package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.ShareLinks;
import dev.netdisk.server.transfer.Ticket;
import java.util.Locale;
import java.util.Set;

/**
 * {@code FETCH code [offset]}: a download ticket for the file behind a link, exactly like {@code
 * DOWNLOAD}'s, followed by {@code file NAME} (the file's name, to the end of the line) so a client
 * knows what to call it. The owner's path is never shown.
 */
final class FetchCommand implements Command {

    private final IssueTicket issuer;
    private final ShareLinks links;

    FetchCommand(IssueTicket issuer, ShareLinks links) {
        this.issuer = issuer;
        this.links = links;
    }

    @Override
    public String verb() {
        return "FETCH";
    }

    @Override
    public String syntax() {
        return "FETCH code [offset]";
    }

    @Override
    public String summary() {
        return "get a ticket to receive the file behind a link code, from offset (default 0)";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 2, Set.of());
        String code = args.get(0).toLowerCase(Locale.ROOT);
        long offset = args.count() > 1 ? args.nonNegativeLong(1, "offset") : 0;
        ShareLinks.Fetch fetch = links.fetch(code);
        if (fetch instanceof ShareLinks.Fetch.Expired e) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "link expired at "
                    + Entries.TIMESTAMP.format(e.at()) + ": " + code);
        }
        if (!(fetch instanceof ShareLinks.Fetch.Found found)) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such link: " + code);
        }
        Node node = found.node();
        if (offset > node.size()) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "offset " + offset
                    + " is beyond the end of the file (" + node.size() + " bytes)");
        }
        Ticket.Download ticket = new Ticket.Download(session.requireUser(), RemotePath.ROOT.child(node.name()), node,
                offset, issuer.expiry());
        String id = issuer.issue(session, ticket, code);
        return Reply.of(ReplyCode.PENDING, "ticket=" + id + " offset=" + offset + " size=" + node.size()
                + " md5=" + node.md5() + " mtime=" + node.mtimeMillis() + " file " + node.name());
    }
}
