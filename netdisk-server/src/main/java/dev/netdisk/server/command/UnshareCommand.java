package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.util.List;
import dev.netdisk.server.store.ShareGrants;
import dev.netdisk.server.store.ShareLinks;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code UNSHARE path [user]}: ends the shares of {@code path} with {@code user}, or with everyone;
 * {@code UNSHARE LINK code}: revokes a link (a file called {@code LINK}, in any case, is written {@code ./LINK}).
 */
final class UnshareCommand implements Command {

    private final ShareGrants grants;
    private final ShareLinks links;
    private final Revocations revocations;

    UnshareCommand(ShareGrants grants, ShareLinks links, Revocations revocations) {
        this.grants = grants;
        this.links = links;
        this.revocations = revocations;
    }

    @Override
    public String verb() {
        return "UNSHARE";
    }

    @Override
    public String syntax() {
        return "UNSHARE path [user] | UNSHARE LINK code";
    }

    @Override
    public String summary() {
        return "stop sharing path (with user, or with everyone), or revoke a link";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 2, Set.of());
        long userId = session.requireUser().id();
        if (args.count() == 2 && args.get(0).equalsIgnoreCase("LINK")) {
            String code = args.get(1).toLowerCase(Locale.ROOT);
            if (!links.revoke(userId, code)) {
                throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such link: " + code);
            }
            int stopped = revocations.revokeLink(code, "link " + code + " revoked");
            return Reply.of(ReplyCode.FILE_ACTION_OK, "link " + code + " revoked" + Revoked.tickets(stopped));
        }
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        Optional<String> user = args.count() == 2 ? Optional.of(args.get(1).toLowerCase(Locale.ROOT)) : Optional.empty();
        User owner = session.requireUser();
        List<ShareGrants.Share> ending = grants.given(owner).stream()
                .filter(s -> s.path().equals(path.toString()) && user.map(s.recipient()::equals).orElse(true)).toList();
        int removed = grants.unshare(userId, path, user);
        if (removed == 0) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "not shared" + user.map(u -> " with " + u).orElse("")
                    + ": " + path);
        }
        int stopped = 0;
        for (ShareGrants.Share s : ending) {
            stopped += revocations.revokeShare(s.recipient(), RemotePath.ROOT.child("shared").child(owner.name()).child(s.name()),
                    "share of " + s.path() + " by " + owner.name() + " ended");
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "removed=" + removed + " stopped sharing "
                + Arguments.forceQuote(path.toString()) + user.map(u -> " with " + u).orElse("") + Revoked.tickets(stopped));
    }
}
