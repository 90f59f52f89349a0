package dev.netdisk.server.command;

import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Outcome;
import dev.netdisk.server.protocol.Reply;
import dev.netdisk.server.protocol.ReplyCode;
import dev.netdisk.server.protocol.ReplyThenEvents;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code LOGIN user password} and {@code LOGIN TOKEN token}. The password form hashes the password
 * (slow by design) and hands out a session token; the token form costs one indexed lookup. The
 * reply is followed by the chat messages that waited while the user was offline, oldest first.
 */
final class LoginCommand implements Command {

    private static final System.Logger LOG = System.getLogger(LoginCommand.class.getName());

    private final UserStore users;
    private final Presence presence;
    private final ChatService chat;
    private final Duration tokenTtl;

    LoginCommand(UserStore users, Presence presence, ChatService chat, Duration tokenTtl) {
        this.users = users;
        this.presence = presence;
        this.chat = chat;
        this.tokenTtl = tokenTtl;
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
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 2);
        if (session.isLoggedIn()) {
            throw new CommandException(ReplyCode.BAD_SEQUENCE, "already logged in as "
                    + session.requireUser().name() + "; LOGOUT first");
        }
        if (args.get(0).equalsIgnoreCase("token")) {
            String token = args.get(1);
            Optional<User> user = users.resume(token);
            if (user.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, () -> "token login failed from " + session.remoteAddress());
                throw new CommandException(ReplyCode.NOT_LOGGED_IN, "token expired or revoked");
            }
            enter(session, user.get(), UserStore.tokenHash(token));
            return new ReplyThenEvents(Reply.of(ReplyCode.LOGGED_IN, "user=" + user.get().name() + " user "
                    + user.get().name() + " logged in"), chat.pendingEvents(user.get()));
        }
        Optional<UserStore.Session> opened = users.login(args.get(0), args.get(1), tokenTtl);
        if (opened.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "login failed for " + args.get(0) + " from " + session.remoteAddress());
            throw new CommandException(ReplyCode.NOT_LOGGED_IN, "login incorrect");
        }
        UserStore.Session s = opened.get();
        enter(session, s.user(), s.tokenHash());
        return new ReplyThenEvents(Reply.of(ReplyCode.LOGGED_IN, "token=" + s.token() + " expires="
                + Entries.TIMESTAMP.format(s.expiresAt()) + " user " + s.user().name() + " logged in"),
                chat.pendingEvents(s.user()));
    }

    private void enter(Session session, User user, byte[] tokenHash) {
        session.login(user, tokenHash);
        presence.add(user, session);
        LOG.log(System.Logger.Level.INFO, () -> "login " + user.name() + " from " + session.remoteAddress());
    }
}
