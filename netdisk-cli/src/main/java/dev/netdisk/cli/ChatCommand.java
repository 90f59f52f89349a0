package dev.netdisk.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chat USER MESSAGE...}: sends a chat message to a user who is online. */
@Command(name = "chat", description = "Send a chat message to a user who is online.")
final class ChatCommand extends Verb {

    @Parameters(index = "0", paramLabel = "USER", description = "The recipient.")
    String user;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MESSAGE", description = "The message; the words are joined with spaces.")
    List<String> words;

    @Override
    void run(Session s) throws Exception {
        String message = String.join(" ", words);
        if (message.isBlank()) {
            throw new UsageException("chat needs a message");
        }
        int delivered = s.loggedIn().chat(user, message);
        if (!s.settings().quiet()) {
            s.out().println("sent to " + user + " (" + delivered + (delivered == 1 ? " connection)" : " connections)"));
        }
    }
}
