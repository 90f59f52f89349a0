package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.chat.MessageStore;
import dev.netdisk.server.chat.ReadMarkers;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.util.Set;

/**
 * {@code READ user|#group [id]}: moves the user's read marker of a conversation to message
 * {@code id}, or to its newest message (docs/PROTOCOL.md section 7). Markers never move back; every
 * connection of the user sees the same one, and when it moves the user's other listening
 * connections, on this server and the others, get {@code * READ conversation id}.
 */
final class ReadCommand implements Command {

    private final ChatService chat;
    private final UserStore users;
    private final GroupStore groups;
    private final MessageStore messages;

    ReadCommand(ChatService chat, UserStore users, GroupStore groups, MessageStore messages) {
        this.chat = chat;
        this.users = users;
        this.groups = groups;
        this.messages = messages;
    }

    @Override
    public String verb() {
        return "READ";
    }

    @Override
    public String syntax() {
        return "READ user|#group [id]";
    }

    @Override
    public String summary() {
        return "mark a conversation read up to a message (default: its newest)";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 2, Set.of());
        long upTo = args.count() > 1 ? args.nonNegativeLong(1, "id") : Long.MAX_VALUE;
        User me = session.requireUser();
        String target = args.get(0);
        ReadMarkers.Move marker;
        String name;
        if (target.startsWith("#")) {
            GroupStore.Group group = Chats.memberGroup(groups, target, me);
            marker = messages.readMarkers().markRead(me.id(), 0, group.id(), upTo);
            name = "#" + group.name();
        } else {
            User other = users.find(target).orElseThrow(() ->
                    new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + target));
            marker = messages.readMarkers().markRead(me.id(), other.id(), 0, upTo);
            name = other.name();
        }
        if (marker.moved()) {
            chat.readMarkerMoved(me, session, name, marker.after());
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "read=" + marker.after() + " " + name + " read up to message "
                + marker.after());
    }
}
