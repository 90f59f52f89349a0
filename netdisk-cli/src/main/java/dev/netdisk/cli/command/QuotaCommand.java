package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.client.Quota;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quota [--json]}: storage used and left. */
@Command(name = "quota", description = "Show the storage you use (the trash and unfinished uploads included), "
        + "your quota, and your chat history and entries with their limits.")
final class QuotaCommand extends Verb {

    @Option(names = "--json", description = "Print {used, trash, uploads, limit, free, chat, chatLimit, entries, maxEntries}.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        Quota q = s.loggedIn().files().quota();
        if (json) {
            s.console().out().println(new ObjectMapper().createObjectNode().put("used", q.used()).put("trash", q.trash())
                    .put("limit", q.limit()).put("free", q.free()).put("uploads", q.uploads()).put("chat", q.chat())
                    .put("chatLimit", q.chatLimit()).put("entries", q.entries()).put("maxEntries", q.maxEntries())
                    .toPrettyString());
            return;
        }
        s.console().out().println("used  " + Format.humanSize(q.used()) + " of " + Format.humanSize(q.limit())
                + " (" + Format.humanSize(q.trash()) + " in the trash, " + Format.humanSize(q.uploads())
                + " reserved by unfinished uploads)");
        s.console().out().println("free  " + Format.humanSize(q.free()));
        s.console().out().println("chat  " + Format.humanSize(q.chat()) + " of "
                + (q.chatLimit() == 0 ? "unlimited" : Format.humanSize(q.chatLimit())) + " of stored messages");
        s.console().out().println("entries  " + q.entries() + " of "
                + (q.maxEntries() == 0 ? "unlimited" : String.valueOf(q.maxEntries())) + " files and directories");
    }
}
