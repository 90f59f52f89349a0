package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.client.Quota;
import dev.netdisk.cli.client.Usage;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code du [--json] [PATH]}: the total size of a remote tree. */
@Command(name = "du", description = "Show the total size of a remote tree (default: the working directory).")
final class DuCommand extends Verb {

    @Option(names = "--json", description = "Print {path, size, files, dirs}.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "Remote directory or file.")
    String path;

    @Override
    void run(Session s) throws Exception {
        Usage u = s.loggedIn().files().du(path);
        if (json) {
            s.console().out().println(new ObjectMapper().createObjectNode().put("path", u.path()).put("size", u.size())
                    .put("files", u.files()).put("dirs", u.dirs()).toPrettyString());
            return;
        }
        s.console().out().println(u.size() + " bytes (" + Format.humanSize(u.size()) + ") in "
                + ChatCommand.plural((int) u.files(), "file") + " and " + ChatCommand.plural((int) u.dirs(), "directory")
                .replace("directorys", "directories") + ": " + u.path());
        if (u.path().equals("/")) {
            // The rest of what counts against the quota, which the tree does not show.
            Quota q = s.loggedIn().files().quota();
            s.console().out().println("plus " + Format.humanSize(q.trash()) + " in the trash and "
                    + Format.humanSize(q.uploads()) + " reserved by unfinished uploads (see quota)");
        }
    }
}
