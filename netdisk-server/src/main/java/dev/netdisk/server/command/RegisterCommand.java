package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.auth.RateLimiter;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.UserStore;

/** {@code REGISTER user password}: creates an account; does not log in. */
final class RegisterCommand implements Command {

    static final int MIN_PASSWORD_BYTES = 8;
    static final int MAX_PASSWORD_BYTES = 1024;

    private final UserStore users;
    private final RateLimiter<String> registrations;
    private final Limits limits;

    RegisterCommand(UserStore users, RateLimiter<String> registrations, Limits limits) {
        this.users = users;
        this.registrations = registrations;
        this.limits = limits;
    }

    @Override
    public String verb() {
        return "REGISTER";
    }

    @Override
    public String syntax() {
        return "REGISTER user password";
    }

    @Override
    public String summary() {
        return "create an account (names: 1-32 of a-z 0-9 _ . -)";
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
        String name = UserStore.canonicalName(args.get(0)).orElseThrow(() ->
                new CommandException(ReplyCode.NAME_NOT_ALLOWED, "invalid user name: " + args.get(0)
                        + " (1-32 characters of a-z 0-9 _ . -, starting with a letter or digit; 'token' is reserved)"));
        if (!limits.registrationOpen()) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "registration is closed on this server");
        }
        String password = args.get(1);
        int length = PasswordHasher.byteLength(password);
        if (length < MIN_PASSWORD_BYTES || length > MAX_PASSWORD_BYTES) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "a password must be " + MIN_PASSWORD_BYTES
                    + " to " + MAX_PASSWORD_BYTES + " bytes long");
        }
        if (limits.registrationsPerIpPerHour() > 0
                && !registrations.tryAcquire(session.ip())) {
            throw new CommandException(ReplyCode.FILE_BUSY, "too many registrations from your address; try again later");
        }
        return users.register(name, password)
                .map(user -> Reply.of(ReplyCode.OK, "user " + user.name() + " registered"))
                .orElseThrow(() -> new CommandException(ReplyCode.ALREADY_EXISTS, "user " + name + " already exists"));
    }
}
