package dev.netdisk.cli.command;

import dev.netdisk.cli.client.ChatReceipt;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chat USER|#GROUP MESSAGE...}: sends a chat message to a friend or a group. */
@Command(name = "chat", aliases = "msg", description = {"Send a chat message to a friend, or to a group (#name).",
        "Friends who are offline get it at their next login."})
final class ChatCommand extends Verb {

    @Parameters(index = "0", paramLabel = "USER|#GROUP", description = "The recipient: a friend, or #group.")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MESSAGE", description = "The message; the words are joined with spaces.")
    List<String> words;

    @Override
    void run(Session s) throws Exception {
        String message = String.join(" ", words);
        if (message.isBlank()) {
            throw new UsageException("chat needs a message");
        }
        ChatReceipt r = s.loggedIn().social().chat(target, message);
        if (!s.settings().quiet()) {
            s.console().out().println("sent to " + target + " (" + plural(r.delivered(), "connection") + " now"
                    + (r.stored() > 0 ? ", " + plural(r.stored(), "offline user") + " at next login" : "") + ")");
        }
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
