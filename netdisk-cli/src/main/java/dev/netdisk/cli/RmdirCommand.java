package dev.netdisk.cli;

import dev.netdisk.cli.client.NetdiskClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rmdir PATH...}: moves empty remote directories to the trash. */
@Command(name = "rmdir", description = "Move empty remote directories to the trash ('rm -r' takes full ones).")
final class RmdirCommand extends Verb {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Remote directories.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        for (String p : paths) {
            RmCommand.trashed(s, c, p, c.rmdir(p));
        }
    }
}
