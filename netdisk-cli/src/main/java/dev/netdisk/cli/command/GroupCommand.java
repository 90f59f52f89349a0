package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netdisk.cli.client.Group;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.Times;
import dev.netdisk.cli.session.UsageException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code group ACTION [NAME [USER|VALUE]]}: chat groups (PROTOCOL.md section 7, GROUP). Anyone creates
 * one and owns it; a group is invite-only unless made public; owner and admins invite (and withdraw
 * an invitation: uninvite), kick, ban, rename and change settings; only the owner promotes, demotes,
 * hands over and deletes.
 */
@Command(name = "group", aliases = "groups", description = {"Manage chat groups; send to one with 'chat #NAME ...'.",
        "group create|join|leave|members|delete|decline|bans NAME | invites [NAME]",
        "      | invite|uninvite|kick|ban|unban|promote|demote|owner NAME USER",
        "      | rename NAME NEW | set NAME public|invite-only|shared-history|joined-history | list"})
final class GroupCommand extends Verb {

    /** Actions that take a user or a value after the group name. */
    private static final Set<String> WITH_ARGUMENT = Set.of("invite", "uninvite", "kick", "ban", "unban", "promote", "demote",
            "owner", "rename", "set");

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", defaultValue = "list",
            description = "create, join, leave, members, delete, decline, invites, bans, invite, uninvite, kick, ban, unban, "
                    + "promote, demote, owner, rename, set or list (default: list).")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The group, with or without #.")
    String name;

    @Parameters(index = "2", arity = "0..1", paramLabel = "USER|VALUE",
            description = "The user (invite, uninvite ... owner), the new name (rename) or the setting (set).")
    String argument;

    @Option(names = "--json", description = "invites, bans: a JSON array of {group, user, by, time}.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        String a = action.toLowerCase(Locale.ROOT);
        if (!a.equals("list") && !a.equals("invites") && name == null) {
            throw new UsageException("group " + action + " needs a group name");
        }
        NetdiskClient c = s.loggedIn();
        if (WITH_ARGUMENT.contains(a)) {
            if (argument == null) {
                throw new UsageException("group " + a + " needs a group name and "
                        + (a.equals("rename") ? "a new name" : a.equals("set") ? "a setting" : "a user"));
            }
            s.console().out().println(PlainLanguage.serverText(c.social().group(a.toUpperCase(Locale.ROOT), name, argument)));
            return;
        }
        switch (a) {
            case "invites" -> pending(s, name == null ? c.social().groupInvitations() : c.social().groupInvitations(name),
                    name == null ? "no pending invitations for you" : "no pending invitations to #" + bare(name), "invited by");
            case "bans" -> pending(s, c.social().groupBans(name), "nobody is banned from #" + bare(name), "banned by");
            case "create", "join", "leave", "delete", "decline" -> s.console().out().println(
                    PlainLanguage.serverText(c.social().group(a.toUpperCase(Locale.ROOT), name)));
            case "members" -> {
                for (Group.Member m : c.social().groupMembers(name)) {
                    s.console().out().println(String.format("%-32s %-6s %s", m.name(), m.role(),
                            m.online() ? "online" : "offline"));
                }
            }
            case "list" -> {
                for (Group g : c.social().groups()) {
                    s.console().out().println(String.format("#%-31s owner %-20s %s", g.name(), g.owner(),
                            ChatCommand.plural(g.members(), "member")));
                }
            }
            default -> throw new UsageException("unknown group action: " + action
                    + " (create, join, leave, members, delete, decline, invites, bans, invite, uninvite, kick, ban, unban,"
                    + " promote, demote, owner, rename, set or list)");
        }
    }

    /** Prints invitations or bans: one line each in local time, or a JSON array. */
    private void pending(Session s, List<Group.Pending> items, String none, String verb) {
        if (json) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (Group.Pending p : items) {
                array.addObject().put("group", p.group()).put("user", p.user()).put("by", p.by())
                        .put("time", p.at().toString());
            }
            s.console().out().println(array.toPrettyString());
            return;
        }
        if (items.isEmpty()) {
            if (!s.settings().quiet()) {
                s.console().out().println(none);
            }
            return;
        }
        Times times = s.settings().times();
        for (Group.Pending p : items) {
            String who = p.group().isEmpty() ? p.user() : "#" + p.group();
            s.console().out().println(String.format("%-32s %s %s, %s", who, verb, p.by(), times.dateTime(p.at())));
        }
        if (items.stream().anyMatch(p -> !p.group().isEmpty())) {
            s.console().out().println("('group join NAME' accepts, 'group decline NAME' declines)");
        }
    }

    private static String bare(String group) {
        return group.startsWith("#") ? group.substring(1) : group;
    }
}
