package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.client.RemoteGlob;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rm [-r] PATH...}: moves remote files (or trees) to the trash. */
@Command(name = "rm", aliases = "delete", description = {"Move remote files to the trash ('trash' lists and restores).",
        "-r also moves directories with everything in them.",
        "PATH may hold wildcards (* ? [...]), expanded from listings; a backslash or quotes in the shell keep them literal."})
final class RmCommand extends Verb {

    @Option(names = {"-r", "-R", "--recursive"}, description = "Also remove directories, with everything in them.")
    boolean recursive;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Remote files or directories.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        List<String> expanded = new ArrayList<>();
        for (String p : paths) {
            expanded.addAll(RemoteGlob.expand(s.loggedIn(), p));
        }
        for (String p : expanded) {
            long id = s.loggedIn().files().rm(p, recursive);
            if (!s.settings().quiet()) {
                s.console().out().println("trashed " + p + " (trash id " + id + ")");
            }
        }
    }
}
