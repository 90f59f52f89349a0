package dev.netdisk.server.command;

import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Outcome;
import dev.netdisk.server.protocol.Reply;
import dev.netdisk.server.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * {@code CHAT user message}: pushes {@code * CHAT from timestamp message} to every connection where
 * {@code user} is logged in. The message is the rest of the line, quotes and all.
 */
final class ChatCommand implements Command {

    /** The longest message, in UTF-8 bytes. */
    static final int MAX_MESSAGE_BYTES = 4096;

    private final UserStore users;
    private final Presence presence;
    private final Clock clock;

    ChatCommand(UserStore users, Presence presence, Clock clock) {
        this.users = users;
        this.presence = presence;
        this.clock = clock;
    }

    @Override
    public String verb() {
        return "CHAT";
    }

    @Override
    public String syntax() {
        return "CHAT user message";
    }

    @Override
    public String summary() {
        return "send a message (the rest of the line) to a user's connections";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        String rest = request.rest();
        int space = 0;
        while (space < rest.length() && rest.charAt(space) != ' ' && rest.charAt(space) != '\t') {
            space++;
        }
        String to = rest.substring(0, space);
        String message = rest.substring(space).stripLeading();
        if (to.isEmpty() || message.isBlank()) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "missing argument; usage: " + syntax());
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "message too long (max " + MAX_MESSAGE_BYTES + " bytes)");
        }
        User target = users.find(to).orElseThrow(() ->
                new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + to));
        List<Session> sessions = presence.sessions(target.id());
        if (sessions.isEmpty()) {
            throw new CommandException(ReplyCode.FILE_BUSY, target.name() + " is not online");
        }
        String event = "* CHAT " + session.requireUser().name() + ' '
                + Entries.TIMESTAMP.format(clock.instant()) + ' ' + message;
        for (Session s : sessions) {
            s.push(event);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "delivered=" + sessions.size() + " message delivered to "
                + sessions.size() + (sessions.size() == 1 ? " connection of " : " connections of ") + target.name());
    }
}
