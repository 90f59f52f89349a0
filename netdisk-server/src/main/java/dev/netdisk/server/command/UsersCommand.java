package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.UserStore;
import java.util.List;
import java.util.Locale;

/** {@code USERS prefix}: up to 50 user names starting with {@code prefix}, to find people to befriend. */
final class UsersCommand implements Command {

    static final int MAX_RESULTS = 20;

    /**
     * The shortest prefix searched: finding a friend needs the start of their name, listing every
     * account ({@code USERS ""}) is not a feature (issue 22; docs/SECURITY.md, "What a stranger learns").
     */
    static final int MIN_PREFIX = 2;

    private final UserStore store;

    UsersCommand(UserStore store) {
        this.store = store;
    }

    @Override
    public String verb() {
        return "USERS";
    }

    @Override
    public String syntax() {
        return "USERS prefix";
    }

    @Override
    public String summary() {
        return "find users whose name starts with prefix (at most " + MAX_RESULTS + ")";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 1);
        if (args.get(0).codePointCount(0, args.get(0).length()) < MIN_PREFIX) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "give at least " + MIN_PREFIX
                    + " characters of the name");
        }
        List<String> names = store.searchUsers(args.get(0).toLowerCase(Locale.ROOT), MAX_RESULTS);
        return Reply.multiline(ReplyCode.STATUS, names, names.size() + (names.size() == 1 ? " user" : " users"));
    }
}
