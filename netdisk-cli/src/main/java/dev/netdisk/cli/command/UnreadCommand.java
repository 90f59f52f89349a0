package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netdisk.cli.client.Unread;
import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code unread [--json]}: the conversations with messages you have not read, and how many. The
 * read markers are kept by the server for all your connections; {@code history} moves them.
 */
@Command(name = "unread", description = {"Show the conversations with unread messages, and how many.",
        "'history USER|#GROUP' shows them and marks them read."})
final class UnreadCommand extends Verb {

    @Option(names = "--json", description = "A JSON array of {conversation, unread, newest, read}.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        List<Unread> unread = s.loggedIn().social().unread();
        if (json) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (Unread u : unread) {
                array.addObject().put("conversation", u.conversation()).put("unread", u.count())
                        .put("newest", u.newestId()).put("read", u.readId());
            }
            s.console().out().println(array.toPrettyString());
            return;
        }
        if (unread.isEmpty()) {
            if (!s.settings().quiet()) {
                s.console().out().println("no unread messages");
            }
            return;
        }
        for (Unread u : unread) {
            s.console().out().println(u.conversation() + ": " + u.count() + " unread (history " + u.conversation() + ")");
        }
    }
}
