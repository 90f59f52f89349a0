package dev.netdisk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.client.Quota;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quota [--json]}: how much of your quota you use. */
@Command(name = "quota", description = {"Show your quota: what your files use (the trash included) and what is free.",
        "Only emptying the trash ('trash empty') gives space back; rm alone does not."})
final class QuotaCommand extends Verb {

    @Option(names = "--json", description = "Print a JSON object {used, trash, limit, free} in bytes.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        Quota q = s.loggedIn().quota();
        if (json) {
            s.out().println(new ObjectMapper().createObjectNode().put("used", q.used()).put("trash", q.trash())
                    .put("limit", q.limit()).put("free", q.free()).toPrettyString());
            return;
        }
        s.out().println("used:  " + q.used() + " bytes (" + Format.humanSize(q.used()) + ")");
        s.out().println("trash: " + q.trash() + " bytes (" + Format.humanSize(q.trash()) + ", part of used)");
        s.out().println("limit: " + q.limit() + " bytes (" + Format.humanSize(q.limit()) + ")");
        s.out().println("free:  " + q.free() + " bytes (" + Format.humanSize(q.free()) + ")");
    }
}
