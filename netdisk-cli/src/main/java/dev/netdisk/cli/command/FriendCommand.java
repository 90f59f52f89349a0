package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netdisk.cli.client.Friend;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code friend add|accept|decline|remove USER} and {@code friend list}: friends to chat with. */
@Command(name = "friend", aliases = "friends", description = {"Manage friends: private chat is between friends.",
        "friend add USER | accept USER | decline USER | remove USER | list"})
final class FriendCommand extends Verb {

    enum Action { ADD, ACCEPT, DECLINE, REMOVE, LIST }

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", defaultValue = "list",
            description = "add, accept, decline, remove or list (default: list).")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "USER", description = "The other user.")
    String user;

    @Option(names = "--json", description = "With list: a JSON array of {name, relation, online}.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        Action a;
        try {
            a = Action.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown friend action: " + action + " (add, accept, decline, remove or list)");
        }
        if (a != Action.LIST && user == null) {
            throw new UsageException("friend " + action + " needs a user name");
        }
        NetdiskClient c = s.loggedIn();
        String text = switch (a) {
            case ADD -> c.social().friendAdd(user);
            case ACCEPT -> c.social().friendAccept(user);
            case DECLINE -> c.social().friendDecline(user);
            case REMOVE -> c.social().friendRemove(user);
            case LIST -> null;
        };
        if (text != null) {
            s.console().out().println(PlainLanguage.serverText(text));
            return;
        }
        print(s, c.social().friends());
    }

    private void print(Session s, List<Friend> friends) {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode array = m.createArrayNode();
            for (Friend f : friends) {
                array.addObject().put("name", f.name()).put("relation", f.relation().name().toLowerCase(Locale.ROOT)
                        .replace('_', '-')).put("online", f.online());
            }
            s.console().out().println(array.toPrettyString());
            return;
        }
        for (Friend f : friends) {
            s.console().out().println(switch (f.relation()) {
                case FRIEND -> String.format("%-32s %s", f.name(), f.online() ? "online" : "offline");
                case REQUEST_FROM -> String.format("%-32s %s", f.name(), "asks to be your friend");
                case REQUEST_TO -> String.format("%-32s %s", f.name(), "has not answered your request yet");
            });
        }
    }
}
