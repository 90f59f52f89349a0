package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GROUP CREATE|JOIN|LEAVE|MEMBERS name}, {@code GROUP LIST} and {@code GROUP KICK name user}:
 * chat groups. Anyone may join a group; its creator owns it and may remove members.
 */
final class GroupCommand implements Command {

    private final ChatService chat;
    private final Presence presence;
    private final UserStore users;
    private final GroupStore store;

    GroupCommand(ChatService chat, Presence presence, UserStore users, GroupStore store) {
        this.chat = chat;
        this.presence = presence;
        this.users = users;
        this.store = store;
    }

    @Override
    public String verb() {
        return "GROUP";
    }

    @Override
    public String syntax() {
        return "GROUP CREATE|JOIN|LEAVE|MEMBERS name | GROUP KICK name user | GROUP LIST";
    }

    @Override
    public String summary() {
        return "create, join, leave and list chat groups; the owner can kick members";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 3, Set.of());
        String action = args.get(0).toUpperCase(Locale.ROOT);
        User me = session.requireUser();
        int expected = switch (action) {
            case "LIST" -> 1;
            case "KICK" -> 3;
            default -> 2;
        };
        if (args.count() != expected) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, (args.count() < expected ? "missing argument" : "too many arguments")
                    + "; usage: " + syntax());
        }
        switch (action) {
            case "LIST" -> {
                List<String> lines = new ArrayList<>();
                for (GroupStore.GroupSummary g : store.groupsOf(me.id())) {
                    lines.add("#" + g.name() + " owner=" + g.owner() + " members=" + g.members());
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + (lines.size() == 1 ? " group" : " groups"));
            }
            case "CREATE" -> {
                String name = Chats.groupName(args.get(1));
                GroupStore.Group created = store.createGroup(name, me.id()).orElseThrow(() ->
                        new CommandException(ReplyCode.ALREADY_EXISTS, "group #" + name + " already exists"));
                chat.groupChanged(created.id());
                return Reply.of(ReplyCode.FILE_ACTION_OK, "group #" + name + " created; you own it");
            }
            case "JOIN" -> {
                GroupStore.Group group = Chats.group(store, args.get(1));
                if (!store.join(group.id(), me.id())) {
                    throw new CommandException(ReplyCode.ALREADY_EXISTS, "already a member of #" + group.name());
                }
                chat.groupChanged(group.id());
                return Reply.of(ReplyCode.FILE_ACTION_OK, "joined #" + group.name());
            }
            case "LEAVE" -> {
                GroupStore.Group group = Chats.group(store, args.get(1));
                if (!store.leave(group.id(), me.id())) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "you are not a member of #" + group.name());
                }
                chat.groupChanged(group.id());
                return Reply.of(ReplyCode.FILE_ACTION_OK, "left #" + group.name());
            }
            case "MEMBERS" -> {
                GroupStore.Group group = Chats.memberGroup(store, args.get(1), me);
                List<String> lines = new ArrayList<>();
                for (User u : store.members(group.id())) {
                    lines.add(u.name() + (u.id() == group.ownerId() ? " owner " : " member ")
                            + (presence.isOnline(u.id()) ? "online" : "offline"));
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + " members of #" + group.name());
            }
            case "KICK" -> {
                GroupStore.Group group = Chats.memberGroup(store, args.get(1), me);
                if (group.ownerId() != me.id()) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "only the owner of #" + group.name()
                            + " can remove members");
                }
                User target = users.find(args.get(2)).orElseThrow(() ->
                        new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + args.get(2)));
                if (target.id() == me.id()) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR, "the owner leaves with GROUP LEAVE, not KICK");
                }
                if (!store.leave(group.id(), target.id())) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, target.name() + " is not a member of #"
                            + group.name());
                }
                chat.groupChanged(group.id());
                chat.notify(target.id(), "* GROUP KICKED #" + group.name() + " " + me.name());
                return Reply.of(ReplyCode.FILE_ACTION_OK, target.name() + " removed from #" + group.name());
            }
            default -> throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown GROUP action: " + args.get(0)
                    + "; usage: " + syntax());
        }
    }
}
