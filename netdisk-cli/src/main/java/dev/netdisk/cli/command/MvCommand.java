package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mv SOURCE TARGET}: moves or renames on the server. */
@Command(name = "mv", aliases = "rename", description = {"Move or rename a remote file or directory.",
        "A TARGET ending in / or naming an existing directory receives SOURCE under its own name.",
        "SOURCE may hold wildcards (* ? [...]); when several match, TARGET must be an existing directory."})
final class MvCommand extends Verb {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Remote file or directory.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "New path, or a directory to move it into.")
    String target;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        for (RemoteTargets.Move m : RemoteTargets.plan(c, java.util.List.of(source), target)) {
            c.files().mv(m.source(), m.target());
        }
    }
}
