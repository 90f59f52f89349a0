package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Group;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code group create|join|leave|members NAME}, {@code group kick NAME USER}, {@code group list}: chat groups. */
@Command(name = "group", aliases = "groups", description = {"Manage chat groups; send to one with 'chat #NAME ...'.",
        "group create NAME | join NAME | leave NAME | members NAME | kick NAME USER | list"})
final class GroupCommand extends Verb {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", defaultValue = "list",
            description = "create, join, leave, members, kick or list (default: list).")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The group, with or without #.")
    String name;

    @Parameters(index = "2", arity = "0..1", paramLabel = "USER", description = "With kick: the member to remove.")
    String user;

    @Override
    void run(Session s) throws Exception {
        String a = action.toLowerCase(Locale.ROOT);
        if (!a.equals("list") && name == null) {
            throw new UsageException("group " + action + " needs a group name");
        }
        NetdiskClient c = s.loggedIn();
        switch (a) {
            case "create", "join", "leave" -> s.console().out().println(c.social().group(a.toUpperCase(Locale.ROOT), name));
            case "kick" -> {
                if (user == null) {
                    throw new UsageException("group kick needs a group name and a user");
                }
                s.console().out().println(c.social().groupKick(name, user));
            }
            case "members" -> {
                for (Group.Member m : c.social().groupMembers(name)) {
                    s.console().out().println(String.format("%-32s %-6s %s", m.name(), m.owner() ? "owner" : "member",
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
                    + " (create, join, leave, members, kick or list)");
        }
    }
}
