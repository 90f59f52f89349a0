package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.client.Quota;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quota [--json]}: storage used and left. */
@Command(name = "quota", description = "Show the storage you use (the trash included) and your quota.")
final class QuotaCommand extends Verb {

    @Option(names = "--json", description = "Print {used, trash, limit, free} in bytes.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        Quota q = s.loggedIn().files().quota();
        if (json) {
            s.console().out().println(new ObjectMapper().createObjectNode().put("used", q.used()).put("trash", q.trash())
                    .put("limit", q.limit()).put("free", q.free()).toPrettyString());
            return;
        }
        s.console().out().println("used  " + Format.humanSize(q.used()) + " of " + Format.humanSize(q.limit())
                + " (" + Format.humanSize(q.trash()) + " in the trash)");
        s.console().out().println("free  " + Format.humanSize(q.free()));
    }
}
