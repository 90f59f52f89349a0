package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rm [-r] PATH...}: moves remote files (or trees) to the trash. */
@Command(name = "rm", aliases = "delete", description = {"Move remote files to the trash ('trash' lists and restores).",
        "-r also moves directories with everything in them."})
final class RmCommand extends Verb {

    @Option(names = {"-r", "-R", "--recursive"}, description = "Also remove directories, with everything in them.")
    boolean recursive;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Remote files or directories.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        for (String p : paths) {
            long id = s.loggedIn().files().rm(p, recursive);
            if (!s.settings().quiet()) {
                s.console().out().println("trashed " + p + " (trash id " + id + ")");
            }
        }
    }
}
