package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rmdir PATH...}: moves empty remote directories to the trash. */
@Command(name = "rmdir", description = "Move empty remote directories to the trash.")
final class RmdirCommand extends Verb {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Remote directories.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        for (String p : paths) {
            long id = s.loggedIn().files().rmdir(p);
            if (!s.settings().quiet()) {
                s.console().out().println("trashed " + p + " (trash id " + id + ")");
            }
        }
    }
}
