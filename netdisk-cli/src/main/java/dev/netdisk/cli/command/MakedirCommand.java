package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code makedir [-p] PATH...}: creates remote directories. */
@Command(name = "makedir", aliases = "mkdir", description = "Create remote directories.")
final class MakedirCommand extends Verb {

    @Option(names = {"-p", "--parents"}, description = "Create missing parents; an existing directory is not an error.")
    boolean parents;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Remote directories to create.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        for (String p : paths) {
            s.loggedIn().files().makedir(p, parents);
        }
    }
}
