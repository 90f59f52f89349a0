package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.chat.GroupStore.Role;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GROUP ...}: chat groups with an owner and admins (docs/PROTOCOL.md section 7). The creator
 * owns a group; owner and admins invite (and withdraw invitations), kick, ban, rename and change its
 * settings; only the owner
 * promotes, demotes, hands the group over and deletes it. A group is invite-only unless made
 * public; a newcomer reads its history from when they joined unless it shares earlier history.
 * Leaving is always possible. Every refusal has its reply code and a message that says why.
 */
final class GroupCommand implements Command {

    /** How many words each action takes, the action included. */
    private static final Map<String, Integer> WORDS = Map.ofEntries(
            Map.entry("LIST", 1), Map.entry("CREATE", 2), Map.entry("JOIN", 2), Map.entry("LEAVE", 2),
            Map.entry("MEMBERS", 2), Map.entry("DELETE", 2), Map.entry("KICK", 3), Map.entry("INVITE", 3),
            Map.entry("UNINVITE", 3),
            Map.entry("BAN", 3), Map.entry("UNBAN", 3), Map.entry("PROMOTE", 3), Map.entry("DEMOTE", 3),
            Map.entry("OWNER", 3), Map.entry("RENAME", 3), Map.entry("SET", 3), Map.entry("BANS", 2),
            Map.entry("DECLINE", 2));

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
        return "GROUP CREATE|JOIN|LEAVE|MEMBERS|DELETE|DECLINE|BANS name | GROUP INVITES [name] | GROUP INVITE|UNINVITE|KICK|BAN|UNBAN|PROMOTE|DEMOTE|OWNER name user"
                + " | GROUP RENAME name new-name | GROUP SET name public|invite-only|shared-history|joined-history | GROUP LIST";
    }

    @Override
    public String summary() {
        return "chat groups: create, join, leave; owners and admins invite, kick, ban, rename and set them";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 3, Set.of());
        String action = args.get(0).toUpperCase(Locale.ROOT);
        User me = session.requireUser();
        // INVITES alone lists your own invitations; with a group, the group's (for its managers).
        Integer expected = action.equals("INVITES") ? Integer.valueOf(Math.max(1, Math.min(2, args.count())))
                : WORDS.get(action);
        if (expected == null) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown GROUP action: " + args.get(0)
                    + "; usage: " + syntax());
        }
        if (args.count() != expected) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, (args.count() < expected ? "missing argument" : "too many arguments")
                    + "; usage: " + syntax());
        }
        switch (action) {
            case "LIST" -> {
                List<String> lines = new ArrayList<>();
                for (GroupStore.GroupSummary g : store.groupsOf(me.id())) {
                    lines.add("#" + g.name() + " owner=" + g.owner() + " members=" + g.members() + " role=" + g.role().word()
                            + " access=" + (g.open() ? "public" : "invite-only"));
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + (lines.size() == 1 ? " group" : " groups"));
            }
            case "CREATE" -> {
                String name = Chats.groupName(args.get(1));
                GroupStore.Group created = store.createGroup(name, me.id()).orElseThrow(() ->
                        new CommandException(ReplyCode.ALREADY_EXISTS, "group #" + name + " already exists"));
                chat.groupChanged(created.id());
                return ok("group #" + name + " created; you own it; it is invite-only (GROUP INVITE, GROUP SET)");
            }
            case "JOIN" -> {
                GroupStore.Group group = Chats.group(store, args.get(1));
                switch (store.join(group, me.id())) {
                    case ALREADY_MEMBER -> throw new CommandException(ReplyCode.ALREADY_EXISTS,
                            "already a member of #" + group.name());
                    case BANNED -> throw refused("you are banned from #" + group.name());
                    case NOT_INVITED -> throw refused("#" + group.name()
                            + " is invite-only: ask its owner or an admin for GROUP INVITE");
                    case JOINED -> {
                    }
                }
                chat.groupChanged(group.id());
                return ok("joined #" + group.name() + (group.sharedHistory() ? "; its whole history is yours to read"
                        : "; you read its history from now on"));
            }
            case "LEAVE" -> {
                GroupStore.Group group = Chats.group(store, args.get(1));
                if (!store.leave(group.id(), me.id())) {
                    throw refused("you are not a member of #" + group.name());
                }
                chat.groupChanged(group.id());
                return ok("left #" + group.name());
            }
            case "MEMBERS" -> {
                GroupStore.Group group = Chats.memberGroup(store, args.get(1), me);
                List<String> lines = new ArrayList<>();
                for (GroupStore.Member m : store.membersWithRoles(group)) {
                    lines.add(m.user().name() + " " + m.role().word() + " "
                            + (presence.isOnline(m.user().id()) ? "online" : "offline"));
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + " members of #" + group.name());
            }
            case "DELETE" -> {
                GroupStore.Group group = managed(args.get(1), me, true, "delete it");
                List<User> members = chat.members(group.id());
                store.delete(group.id());
                chat.groupChanged(group.id());
                for (User u : members) {
                    if (u.id() != me.id()) {
                        chat.notify(u.id(), "* GROUP DELETED #" + group.name() + " " + me.name());
                    }
                }
                return ok("#" + group.name() + " deleted with its history");
            }
            case "RENAME" -> {
                GroupStore.Group group = managed(args.get(1), me, false, "rename it");
                String newName = Chats.groupName(args.get(2));
                List<User> members = chat.members(group.id());
                if (!store.rename(group.id(), newName)) {
                    throw new CommandException(ReplyCode.ALREADY_EXISTS, "group #" + newName + " already exists");
                }
                chat.groupChanged(group.id());
                for (User u : members) {
                    if (u.id() != me.id()) {
                        chat.notify(u.id(), "* GROUP RENAMED #" + group.name() + " #" + newName + " " + me.name());
                    }
                }
                return ok("#" + group.name() + " is now #" + newName);
            }
            case "INVITES" -> {
                if (args.count() == 1) {
                    List<String> lines = new ArrayList<>();
                    for (GroupStore.Pending p : store.invitationsOf(me.id())) {
                        lines.add("#" + p.group() + " invited-by=" + p.by() + " at=" + at(p.at()));
                    }
                    return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + " pending "
                            + (lines.size() == 1 ? "invitation" : "invitations") + " for you (GROUP JOIN or GROUP DECLINE)");
                }
                GroupStore.Group group = managed(args.get(1), me, false, "list its invitations");
                List<String> lines = new ArrayList<>();
                for (GroupStore.Pending p : store.invitations(group.id())) {
                    lines.add(p.user() + " invited-by=" + p.by() + " at=" + at(p.at()));
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + " pending "
                        + (lines.size() == 1 ? "invitation" : "invitations") + " to #" + group.name());
            }
            case "BANS" -> {
                GroupStore.Group group = managed(args.get(1), me, false, "list its bans");
                List<String> lines = new ArrayList<>();
                for (GroupStore.Pending p : store.bans(group.id())) {
                    lines.add(p.user() + " banned-by=" + p.by() + " at=" + at(p.at()));
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + (lines.size() == 1 ? " ban" : " bans")
                        + " in #" + group.name());
            }
            case "DECLINE" -> {
                GroupStore.Group group = Chats.group(store, args.get(1));
                long by = store.decline(group.id(), me.id()).orElseThrow(() ->
                        refused("you have no invitation to #" + group.name()));
                chat.notify(by, "* GROUP DECLINED #" + group.name() + " " + me.name());
                return ok("declined the invitation to #" + group.name());
            }
            case "SET" -> {
                GroupStore.Group group = managed(args.get(1), me, false, "change its settings");
                boolean open = group.open();
                boolean shared = group.sharedHistory();
                switch (args.get(2).toLowerCase(Locale.ROOT)) {
                    case "public" -> open = true;
                    case "invite-only" -> open = false;
                    case "shared-history" -> shared = true;
                    case "joined-history" -> shared = false;
                    default -> throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown group setting: " + args.get(2)
                            + " (public, invite-only, shared-history or joined-history)");
                }
                store.settings(group.id(), open, shared);
                chat.groupChanged(group.id());
                return ok("#" + group.name() + " is " + (open ? "public" : "invite-only") + "; newcomers read "
                        + (shared ? "its whole history" : "from when they joined"));
            }
            default -> {
                return memberAction(action, args.get(1), args.get(2), me);
            }
        }
    }

    /** The actions on one user: INVITE, UNINVITE, KICK, BAN, UNBAN, PROMOTE, DEMOTE, OWNER. */
    private Outcome memberAction(String action, String groupArg, String userArg, User me) throws Exception {
        boolean ownerOnly = action.equals("PROMOTE") || action.equals("DEMOTE") || action.equals("OWNER");
        GroupStore.Group group = managed(groupArg, me, ownerOnly, switch (action) {
            case "INVITE" -> "invite";
            case "UNINVITE" -> "withdraw invitations";
            case "KICK" -> "remove members";
            case "BAN", "UNBAN" -> "ban and unban";
            case "OWNER" -> "hand it over";
            default -> "promote and demote members";
        });
        User target = users.find(userArg).orElseThrow(() ->
                new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + userArg));
        if (target.id() == me.id()) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, action.equals("UNINVITE")
                    ? "not on yourself: you are a member of #" + group.name() + ", not invited"
                    : "not on yourself: to go, GROUP LEAVE " + group.name());
        }
        Role mine = store.role(group, me.id());
        Role theirs = store.role(group, target.id());
        String g = "#" + group.name();
        switch (action) {
            case "INVITE" -> {
                switch (store.invite(group.id(), target.id(), me.id())) {
                    case ALREADY_MEMBER -> throw new CommandException(ReplyCode.ALREADY_EXISTS,
                            target.name() + " is already a member of " + g);
                    case ALREADY_INVITED -> throw new CommandException(ReplyCode.ALREADY_EXISTS,
                            target.name() + " is already invited to " + g);
                    case BANNED -> throw refused(target.name() + " is banned from " + g + "; GROUP UNBAN first");
                    case INVITED -> {
                    }
                }
                chat.notify(target.id(), "* GROUP INVITED " + g + " " + me.name());
                return ok(target.name() + " invited to " + g);
            }
            case "UNINVITE" -> {
                // Any manager may withdraw any pending invitation, not only the one who sent it: the
                // invitations are the group's (GROUP INVITES lists them all to each manager).
                if (!store.uninvite(group.id(), target.id())) {
                    throw refused(target.name() + " has no invitation to " + g);
                }
                chat.notify(target.id(), "* GROUP UNINVITED " + g + " " + me.name());
                return ok(target.name() + " is no longer invited to " + g);
            }
            case "KICK", "BAN" -> {
                // An admin acts on plain members only; the owner on anyone.
                if (mine == Role.ADMIN && theirs.manages()) {
                    throw refused("only the owner of " + g + " can " + action.toLowerCase(Locale.ROOT) + " an admin");
                }
                if (action.equals("KICK")) {
                    if (theirs == Role.NONE || !store.leave(group.id(), target.id())) {
                        throw refused(target.name() + " is not a member of " + g);
                    }
                    chat.groupChanged(group.id());
                    chat.notify(target.id(), "* GROUP KICKED " + g + " " + me.name());
                    return ok(target.name() + " removed from " + g);
                }
                if (!store.ban(group.id(), target.id(), me.id())) {
                    throw new CommandException(ReplyCode.ALREADY_EXISTS, target.name() + " is already banned from " + g);
                }
                chat.groupChanged(group.id());
                chat.notify(target.id(), "* GROUP BANNED " + g + " " + me.name());
                return ok(target.name() + " banned from " + g);
            }
            case "UNBAN" -> {
                if (!store.unban(group.id(), target.id())) {
                    throw refused(target.name() + " is not banned from " + g);
                }
                return ok(target.name() + " may join " + g + " again (invite-only groups: after GROUP INVITE)");
            }
            case "PROMOTE", "DEMOTE" -> {
                if (theirs == Role.NONE || !store.setAdmin(group.id(), target.id(), action.equals("PROMOTE"))) {
                    throw refused(target.name() + " is not a member of " + g);
                }
                chat.notify(target.id(), "* GROUP ROLE " + g + " " + (action.equals("PROMOTE") ? "admin" : "member")
                        + " " + me.name());
                return ok(target.name() + " is now " + (action.equals("PROMOTE") ? "an admin" : "a member") + " of " + g);
            }
            default -> {  // OWNER
                if (theirs == Role.NONE || !store.transfer(group, target.id())) {
                    throw refused(target.name() + " is not a member of " + g + "; only a member can own it");
                }
                chat.groupChanged(group.id());
                chat.notify(target.id(), "* GROUP ROLE " + g + " owner " + me.name());
                return ok(target.name() + " now owns " + g + "; you are an admin");
            }
        }
    }

    /** The group, which {@code me} must own (or, unless {@code ownerOnly}, administer); 550 otherwise. */
    private GroupStore.Group managed(String raw, User me, boolean ownerOnly, String what) throws Exception {
        GroupStore.Group group = Chats.memberGroup(store, raw, me);
        Role role = store.role(group, me.id());
        if (ownerOnly ? role != Role.OWNER : !role.manages()) {
            throw refused("only the owner" + (ownerOnly ? "" : " or an admin") + " of #" + group.name() + " can " + what);
        }
        return group;
    }

    /** A time in a list: UTC ISO-8601 to the second. */
    private static String at(long millis) {
        return java.time.Instant.ofEpochMilli(millis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static CommandException refused(String why) {
        return new CommandException(ReplyCode.FILE_UNAVAILABLE, why);
    }

    private static Reply ok(String text) {
        return Reply.of(ReplyCode.FILE_ACTION_OK, text);
    }
}
