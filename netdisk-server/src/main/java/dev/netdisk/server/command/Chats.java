package dev.netdisk.server.command;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.sql.SQLException;

/** Lookups shared by the chat commands, each failing with its documented reply. */
final class Chats {
    private Chats() {
    }

    /** A group name without {@code #}, checked against the user-name rule. */
    static String groupName(String raw) throws CommandException {
        String name = raw.startsWith("#") ? raw.substring(1) : raw;
        return UserStore.canonicalName(name).orElseThrow(() -> new CommandException(ReplyCode.NAME_NOT_ALLOWED,
                "invalid group name: " + raw + " (1-32 characters of a-z 0-9 _ . -, starting with a letter or digit)"));
    }

    /** The group called {@code raw}; 550 when there is none. */
    static GroupStore.Group group(GroupStore store, String raw) throws CommandException, SQLException {
        String name = groupName(raw);
        return store.findGroup(name).orElseThrow(() ->
                new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such group: #" + name));
    }

    /** The group called {@code raw}, which {@code me} must belong to; 550 otherwise. */
    static GroupStore.Group memberGroup(GroupStore store, String raw, User me) throws CommandException, SQLException {
        GroupStore.Group group = group(store, raw);
        if (!store.isMember(group.id(), me.id())) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "you are not a member of #" + group.name());
        }
        return group;
    }
}
