package dev.netdisk.cli;

import dev.netdisk.cli.client.NetdiskClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mv SRC... DST}: moves or renames remote files and directories, like {@code mv}. */
@Command(name = "mv", aliases = {"move", "rename"}, description = {
        "Move or rename remote files and directories.",
        "DST ending in / or naming an existing directory receives each SRC under its own name; "
                + "with one SRC any other DST is its new path. Nothing is ever overwritten."})
final class MvCommand extends Verb {

    @Parameters(arity = "2..*", paramLabel = "PATH", description = "SRC... DST")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        String dst = intoDirectoryIfMany(paths);
        for (String src : paths.subList(0, paths.size() - 1)) {
            String to = c.move(src, dst);
            if (!s.settings().quiet()) {
                s.out().println("moved " + RemotePath.absolute(c, src) + " to " + to);
            }
        }
    }

    /** With several sources the target must be a directory: a trailing slash says so to the library. */
    static String intoDirectoryIfMany(List<String> paths) {
        String dst = paths.get(paths.size() - 1);
        return paths.size() > 2 && !dst.endsWith("/") ? dst + "/" : dst;
    }
}
