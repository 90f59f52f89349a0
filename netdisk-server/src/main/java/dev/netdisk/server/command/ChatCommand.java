package dev.netdisk.server.command;

import dev.netdisk.server.Services;
import dev.netdisk.server.chat.ChatStore;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Outcome;
import dev.netdisk.server.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code CHAT user|#group message}: sends the rest of the line to a friend or to a group's
 * members. Online recipients get a {@code * CHAT} event at once on every connection; offline ones
 * get it at their next login. Every message is kept for {@code HISTORY}.
 *
 * <p>The checks run here (on a worker); storing and delivering is the chat writer's, which answers
 * {@code 250} once the message is durable ({@link dev.netdisk.server.chat.ChatService#submit}).
 */
final class ChatCommand implements Command {

    /** The longest message, in UTF-8 bytes. */
    static final int MAX_MESSAGE_BYTES = 4096;

    private final Services services;

    ChatCommand(Services services) {
        this.services = services;
    }

    @Override
    public String verb() {
        return "CHAT";
    }

    @Override
    public String syntax() {
        return "CHAT user|#group message";
    }

    @Override
    public String summary() {
        return "send a message (the rest of the line) to a friend or a group";
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
        User me = session.requireUser();
        ChatStore store = services.chat().store();
        if (to.startsWith("#")) {
            ChatStore.Group group = Chats.group(store, to.substring(1));
            // One query for the members answers both "may I send here" and "to whom".
            List<User> members = services.chat().members(group.id());
            if (members.stream().noneMatch(u -> u.id() == me.id())) {
                throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "you are not a member of #" + group.name());
            }
            checkRate(me);
            List<User> others = members.stream().filter(u -> u.id() != me.id()).toList();
            return services.chat().submit(me, 0, group.id(), "#" + group.name(), message, others);
        } else {
            User target = services.users().find(to).orElseThrow(() ->
                    new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + to));
            if (target.id() != me.id() && !services.chat().areFriends(me.id(), target.id())) {
                throw new CommandException(ReplyCode.FILE_UNAVAILABLE, target.name()
                        + " is not your friend; FRIEND ADD " + target.name() + " first");
            }
            checkRate(me);
            return services.chat().submit(me, target.id(), 0, target.name(), message, List.of(target));
        }
    }

    private void checkRate(User me) throws CommandException {
        if (services.config().limits().chatPerSecond() > 0 && !services.chatRate().tryAcquire(me.id())) {
            throw new CommandException(ReplyCode.FILE_BUSY, "rate limit exceeded: slow down and send again shortly");
        }
    }
}
