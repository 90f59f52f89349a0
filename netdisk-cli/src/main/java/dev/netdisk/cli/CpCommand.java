package dev.netdisk.cli;

import dev.netdisk.cli.client.CopyResult;
import dev.netdisk.cli.client.NetdiskClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cp [-r] SRC... DST}: server-side copies of remote files and directories. */
@Command(name = "cp", aliases = "copy", description = {
        "Copy remote files or directories (with everything in them) on the server; no byte travels.",
        "DST works as for mv. SRC may be under /shared (a friend's file into your tree). "
                + "The copy counts in your quota."})
final class CpCommand extends Verb {

    @Option(names = {"-r", "-R", "--recursive"},
            description = "Accepted for habit's sake: a directory is always copied with everything in it.")
    boolean recursive;

    @Parameters(arity = "2..*", paramLabel = "PATH", description = "SRC... DST")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        String dst = MvCommand.intoDirectoryIfMany(paths);
        for (String src : paths.subList(0, paths.size() - 1)) {
            CopyResult r = c.copy(src, dst);
            if (!s.settings().quiet()) {
                s.out().println("copied " + r.from() + " to " + r.to() + " (" + r.files() + " file"
                        + (r.files() == 1 ? "" : "s") + ", " + r.size() + " bytes)");
            }
        }
    }
}
