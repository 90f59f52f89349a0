package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;

/** {@code LOGOUT}: revokes this connection's session token and returns to the logged-out state. */
final class LogoutCommand implements Command {

    private final UserStore users;
    private final Presence presence;
    private final Revocations revocations;

    LogoutCommand(UserStore users, Presence presence, Revocations revocations) {
        this.users = users;
        this.presence = presence;
        this.revocations = revocations;
    }

    @Override
    public String verb() {
        return "LOGOUT";
    }

    @Override
    public String syntax() {
        return "LOGOUT";
    }

    @Override
    public String summary() {
        return "revoke this session's token and log out";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs.exactly(request, this, 0);
        User user = session.requireUser();
        byte[] tokenHash = session.logout();
        presence.remove(user, session);
        if (tokenHash != null) {
            users.revoke(tokenHash);
        }
        int stopped = revocations.revokeSession(session, "logged out");
        return Reply.of(ReplyCode.OK, "logged out" + Revoked.tickets(stopped));
    }
}
