package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.auth.LoginThrottle;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Delayed;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code LOGIN user password} and {@code LOGIN TOKEN token}. The password form hashes the password
 * (slow by design) and hands out a session token; the token form costs one indexed lookup. A
 * login alone neither makes the user online nor takes the messages that waited: {@code LISTEN} does.
 * Failures are throttled per name and address ({@link LoginThrottle}): replies to repeated
 * failures are delayed, then refused for a while, identically for real and unknown names.
 */
final class LoginCommand implements Command {

    private static final System.Logger LOG = System.getLogger(LoginCommand.class.getName());

    /*
     * The 530s a client acts on carry a reason= word (docs/PROTOCOL.md section 4): only the first
     * tells a client to forget a saved token; the other two leave it valid for later.
     */
    static final String REVOKED = "reason=revoked token unknown, expired or revoked";
    static final String LOCKED = "reason=locked too many failed logins; try again later";
    static final String DISABLED = "reason=disabled account disabled by the administrator";

    private final UserStore users;
    private final Presence presence;
    private final ChatService chat;
    private final Duration tokenTtl;
    private final LoginThrottle throttle;
    private final Limits limits;

    LoginCommand(UserStore users, Presence presence, ChatService chat, Duration tokenTtl, LoginThrottle throttle,
                 Limits limits) {
        this.users = users;
        this.presence = presence;
        this.chat = chat;
        this.tokenTtl = tokenTtl;
        this.throttle = throttle;
        this.limits = limits;
    }

    @Override
    public String verb() {
        return "LOGIN";
    }

    @Override
    public String syntax() {
        return "LOGIN user password | LOGIN TOKEN token";
    }

    @Override
    public String summary() {
        return "log in; the reply carries a session token for LOGIN TOKEN";
    }

    @Override
    public boolean needsLogin() {
        return false;
    }

    @Override
    public boolean needsTls() {
        return true;
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 2);
        if (session.isLoggedIn()) {
            throw new CommandException(ReplyCode.BAD_SEQUENCE, "already logged in as "
                    + session.requireUser().name() + "; LOGOUT first");
        }
        if (args.get(0).equalsIgnoreCase("token")) {
            if (throttle.isTokenLocked(session.ip())) {
                return locked(session, "token");
            }
            String token = args.get(1);
            Optional<User> user = users.resume(token);
            if (user.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, () -> "token login failed from " + session.remoteAddress());
                return slowly(Reply.of(ReplyCode.NOT_LOGGED_IN, REVOKED), throttle.failedToken(session.ip()));
            }
            checkSessions(user.get());
            enter(session, user.get(), UserStore.tokenHash(token));
            return Reply.of(ReplyCode.LOGGED_IN, "user=" + user.get().name() + " user "
                    + user.get().name() + " logged in");
        }
        String name = args.get(0);
        if (throttle.isLocked(name, session.ip())) {
            return locked(session, name);
        }
        Optional<UserStore.Session> opened;
        try {
            opened = users.login(name, args.get(1), tokenTtl);
        } catch (UserStore.DisabledException e) {
            // The right password: saying why tells nothing to someone who does not know it.
            throttle.succeeded(name, session.ip());
            return Reply.of(ReplyCode.NOT_LOGGED_IN, DISABLED);
        }
        if (opened.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "login failed for " + name + " from " + session.remoteAddress());
            return slowly(Reply.of(ReplyCode.NOT_LOGGED_IN, "login incorrect"), throttle.failed(name, session.ip()));
        }
        throttle.succeeded(name, session.ip());
        UserStore.Session s = opened.get();
        try {
            checkSessions(s.user());
        } catch (CommandException e) {
            users.revoke(s.tokenHash());
            throw e;
        }
        enter(session, s.user(), s.tokenHash());
        return Reply.of(ReplyCode.LOGGED_IN, "token=" + s.token() + " expires="
                + Entries.TIMESTAMP.format(s.expiresAt()) + " user " + s.user().name() + " logged in");
    }

    /** The reply to any login from a locked-out name or address: the same whether the name exists or not. */
    private Outcome locked(Session session, String name) {
        LOG.log(System.Logger.Level.WARNING, () -> "login refused, locked out: " + name + " from " + session.remoteAddress());
        return new Delayed(Reply.of(ReplyCode.NOT_LOGGED_IN, LOCKED),
                limits.maxLoginDelay());
    }

    private static Outcome slowly(Reply reply, Duration delay) {
        return delay.isZero() ? reply : new Delayed(reply, delay);
    }

    private void checkSessions(User user) throws CommandException {
        int max = limits.maxSessionsPerUser();
        if (max > 0 && presence.sessions(user.id()).size() >= max) {
            throw new CommandException(ReplyCode.NOT_LOGGED_IN, "too many sessions for " + user.name() + " (max " + max + ")");
        }
    }

    private void enter(Session session, User user, byte[] tokenHash) throws java.sql.SQLException {
        session.login(user, tokenHash);
        presence.add(user, session);
        LOG.log(System.Logger.Level.INFO, () -> "login " + user.name() + " from " + session.remoteAddress());
    }
}
