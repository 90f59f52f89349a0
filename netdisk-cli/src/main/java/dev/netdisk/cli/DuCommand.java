package dev.netdisk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netdisk.cli.client.DiskUsage;
import dev.netdisk.cli.client.NetdiskClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code du [--json] [PATH...]}: the total size of remote trees. */
@Command(name = "du", description = {"Show the total size of remote trees (default: the working directory).",
        "Columns: bytes, files, directories (the tree's own included), path."})
final class DuCommand extends Verb {

    @Option(names = "--json", description = "Print a JSON array of {path, size, files, dirs}.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Remote directories or files.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        List<DiskUsage> usages = new ArrayList<>();
        if (paths == null || paths.isEmpty()) {
            usages.add(c.du(null));
        } else {
            for (String p : paths) {
                usages.add(c.du(p));
            }
        }
        if (json) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (DiskUsage u : usages) {
                array.addObject().put("path", u.path()).put("size", u.size()).put("files", u.files())
                        .put("dirs", u.dirs());
            }
            s.out().println(array.toPrettyString());
            return;
        }
        for (DiskUsage u : usages) {
            s.out().println(String.format("%12d %8d %6d  %s", u.size(), u.files(), u.dirs(), u.path()));
        }
    }
}
