package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.auth.LoginThrottle;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.protocol.Delayed;
import java.time.Duration;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.util.List;
import java.util.Set;

/**
 * {@code PASSWD old new [--keep-sessions]}: a user changes their own password. Unless asked to keep
 * them, the user's other sessions end: their saved tokens are revoked, their connections closed with
 * {@code 421 password changed}, their tickets revoked and transfers stopped. This connection stays
 * logged in.
 */
final class PasswdCommand implements Command {

    private static final String KEEP = "--keep-sessions";

    private final UserStore users;
    private final Presence presence;
    private final Revocations revocations;
    private final LoginThrottle throttle;

    PasswdCommand(UserStore users, Presence presence, Revocations revocations, LoginThrottle throttle) {
        this.users = users;
        this.presence = presence;
        this.revocations = revocations;
        this.throttle = throttle;
    }

    @Override
    public String verb() {
        return "PASSWD";
    }

    @Override
    public String syntax() {
        return "PASSWD old-password new-password [--keep-sessions]";
    }

    @Override
    public String summary() {
        return "change your password; your other sessions end unless --keep-sessions";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 2, 2, Set.of(KEEP));
        User user = session.requireUser();
        String newPassword = args.get(1);
        int length = PasswordHasher.byteLength(newPassword);
        if (length < RegisterCommand.MIN_PASSWORD_BYTES || length > RegisterCommand.MAX_PASSWORD_BYTES) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "a password must be "
                    + RegisterCommand.MIN_PASSWORD_BYTES + " to " + RegisterCommand.MAX_PASSWORD_BYTES + " bytes long");
        }
        boolean endOthers = !args.has(KEEP);
        // A stolen session must not become a way around the login throttle to guess the password.
        if (throttle.isLocked(user.name(), session.ip())) {
            return new Delayed(Reply.of(ReplyCode.FILE_UNAVAILABLE, "too many failed attempts; try again later"),
                    throttle.failed(user.name(), session.ip()));
        }
        if (!users.changePassword(user, args.get(0), newPassword, endOthers, session.tokenHash())) {
            Duration delay = throttle.failed(user.name(), session.ip());
            Reply wrong = Reply.of(ReplyCode.FILE_UNAVAILABLE, "current password incorrect; nothing changed");
            return delay.isZero() ? wrong : new Delayed(wrong, delay);
        }
        if (!endOthers) {
            return Reply.of(ReplyCode.OK, "password changed; other sessions kept");
        }
        List<Session> others = presence.sessions(user.id()).stream().filter(s -> s != session).toList();
        int revoked = 0;
        for (Session other : others) {
            other.disconnect("password changed");
            revoked += revocations.revokeSession(other, "password changed");
        }
        revocations.sessionsEnded(user.name(), "password changed");
        return Reply.of(ReplyCode.OK, "password changed; " + others.size() + " other session(s) ended"
                + Revoked.tickets(revoked));
    }
}
