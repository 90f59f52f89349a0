package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.FriendStore;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code FRIEND ADD|ACCEPT|DECLINE|REMOVE user} and {@code FRIEND LIST}: friend requests and the
 * friend list with online state. The other side hears of each change as an event.
 */
final class FriendCommand implements Command {

    private final ChatService chat;
    private final Presence presence;
    private final UserStore users;
    private final FriendStore store;
    private final Revocations revocations;

    FriendCommand(ChatService chat, Presence presence, UserStore users, FriendStore store, Revocations revocations) {
        this.chat = chat;
        this.presence = presence;
        this.users = users;
        this.store = store;
        this.revocations = revocations;
    }

    @Override
    public String verb() {
        return "FRIEND";
    }

    @Override
    public String syntax() {
        return "FRIEND ADD|ACCEPT|DECLINE|REMOVE user | FRIEND LIST";
    }

    @Override
    public String summary() {
        return "ask, accept, decline or end a friendship; list friends and requests";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 2, Set.of());
        String action = args.get(0).toUpperCase(Locale.ROOT);
        User me = session.requireUser();
        if (action.equals("LIST")) {
            if (args.count() != 1) {
                throw new CommandException(ReplyCode.ARGUMENT_ERROR, "too many arguments; usage: FRIEND LIST");
            }
            List<String> lines = new ArrayList<>();
            List<User> friends = store.friends(me.id());
            for (User f : friends) {
                lines.add("friend " + f.name() + (presence.isOnline(f.id()) ? " online" : " offline"));
            }
            List<User> incoming = store.incomingRequests(me.id());
            incoming.forEach(u -> lines.add("request-from " + u.name()));
            List<User> outgoing = store.outgoingRequests(me.id());
            outgoing.forEach(u -> lines.add("request-to " + u.name()));
            return Reply.multiline(ReplyCode.STATUS, lines, friends.size() + " friends, "
                    + (incoming.size() + outgoing.size()) + " pending requests");
        }
        if (args.count() != 2) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "missing argument; usage: " + syntax());
        }
        User other = users.find(args.get(1)).orElseThrow(() ->
                new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + args.get(1)));
        switch (action) {
            case "ADD" -> {
                if (other.id() == me.id()) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR, "you cannot befriend yourself");
                }
                return switch (store.requestFriend(me.id(), other.id())) {
                    case SENT -> {
                        chat.notify(other.id(), "* FRIEND REQUEST " + me.name());
                        yield Reply.of(ReplyCode.FILE_ACTION_OK, "friend request sent to " + other.name());
                    }
                    case NOW_FRIENDS -> {
                        chat.befriended(me, other);
                        chat.notify(other.id(), "* FRIEND ACCEPTED " + me.name());
                        yield Reply.of(ReplyCode.FILE_ACTION_OK, "you and " + other.name() + " are now friends");
                    }
                    case ALREADY_FRIENDS -> throw new CommandException(ReplyCode.ALREADY_EXISTS,
                            "already friends with " + other.name());
                    case ALREADY_REQUESTED -> throw new CommandException(ReplyCode.ALREADY_EXISTS,
                            "friend request to " + other.name() + " already sent");
                };
            }
            case "ACCEPT" -> {
                if (!store.accept(me.id(), other.id())) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no friend request from " + other.name());
                }
                chat.befriended(me, other);
                chat.notify(other.id(), "* FRIEND ACCEPTED " + me.name());
                return Reply.of(ReplyCode.FILE_ACTION_OK, "you and " + other.name() + " are now friends");
            }
            case "DECLINE" -> {
                if (!store.decline(me.id(), other.id())) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no friend request from " + other.name());
                }
                chat.notify(other.id(), "* FRIEND DECLINED " + me.name());
                return Reply.of(ReplyCode.FILE_ACTION_OK, "friend request from " + other.name() + " declined");
            }
            case "REMOVE" -> {
                if (!store.unfriend(me.id(), other.id())) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "not friends with " + other.name());
                }
                chat.unfriended(me.id(), other.id());
                // The shares between them end with the friendship, and so do the tickets issued through them.
                String why = "friendship of " + me.name() + " and " + other.name() + " ended";
                revocations.revokeShare(other.name(), RemotePath.ROOT.child("shared").child(me.name()), why);
                revocations.revokeShare(me.name(), RemotePath.ROOT.child("shared").child(other.name()), why);
                chat.notify(other.id(), "* FRIEND REMOVED " + me.name());
                return Reply.of(ReplyCode.FILE_ACTION_OK, other.name() + " removed from your friends");
            }
            default -> throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown FRIEND action: " + args.get(0)
                    + "; usage: " + syntax());
        }
    }
}
