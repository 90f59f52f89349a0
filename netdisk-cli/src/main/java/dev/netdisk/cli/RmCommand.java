package dev.netdisk.cli;

import dev.netdisk.cli.client.NetdiskClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rm [-r] PATH...}: moves remote files (with {@code -r} also directories) to the trash. */
@Command(name = "rm", aliases = "del", description = {
        "Move remote files to the trash; -r also directories with everything in them.",
        "Nothing is deleted yet: 'trash list' shows the items, 'trash restore ID' brings one back."})
final class RmCommand extends Verb {

    @Option(names = {"-r", "-R", "--recursive"}, description = "Also remove directories and everything in them.")
    boolean recursive;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Remote files or directories.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        for (String p : paths) {
            long id = c.rm(p, recursive);
            trashed(s, c, p, id);
        }
    }

    /** {@code trashed /docs/a.txt (trash id 7)} on stdout unless {@code --quiet}. */
    static void trashed(Session s, NetdiskClient c, String path, long id) {
        if (!s.settings().quiet()) {
            s.out().println("trashed " + RemotePath.absolute(c, path) + " (trash id " + id + ")");
        }
    }
}
