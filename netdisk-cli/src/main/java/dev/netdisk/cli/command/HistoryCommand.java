package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.session.EventText;
import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code history USER|#GROUP [-n N] [--before ID]}: stored messages of a conversation, oldest first;
 * what it shows counts as read (the server's read marker moves to the newest message shown).
 * {@code history --clear USER|#GROUP} deletes the messages you sent there instead.
 */
@Command(name = "history", description = {"Show the stored messages with a user or of a group, oldest first,",
        "and mark them read. To page back, pass the first id shown as --before.",
        "--clear deletes the messages you sent there (for both sides), freeing your chat history."})
final class HistoryCommand extends Verb {

    @Parameters(paramLabel = "USER|#GROUP", description = "The conversation.")
    String target;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50", description = "How many of the newest (1-500, default 50).")
    int limit;

    @Option(names = "--before", paramLabel = "ID", description = "Only messages older than this id.")
    Long before;

    @Option(names = "--json", description = "A JSON array of {id, time, from, to, text}.")
    boolean json;

    @Option(names = "--clear", description = "Delete the messages you sent in this conversation, for both sides"
            + " (what others sent stays); frees your chat history (see quota).")
    boolean clear;

    @Override
    void run(Session s) throws Exception {
        if (clear) {
            s.console().out().println(s.loggedIn().social().clearHistory(target));
            return;
        }
        List<ChatMessage> messages = s.loggedIn().social().history(target, limit, before);
        if (!messages.isEmpty()) {
            s.loggedIn().social().markRead(target, messages.get(messages.size() - 1).id());
        }
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode array = m.createArrayNode();
            for (ChatMessage c : messages) {
                var node = array.addObject().put("id", c.id()).put("time", c.time().toString()).put("from", c.from())
                        .put("to", c.to()).put("text", c.text());
                c.file().ifPresent(f -> node.putObject("file").put("name", f.name()).put("size", f.size())
                        .put("code", f.code()));
            }
            s.console().out().println(array.toPrettyString());
            return;
        }
        messages.forEach(c -> s.console().out().println(EventText.history(c, s.settings().times())));
    }
}
