package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.Usage;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cp SOURCE TARGET}: copies on the server, without moving bytes. */
@Command(name = "cp", aliases = "copy", description = {"Copy a remote file or directory on the server (no bytes travel).",
        "A TARGET ending in / or naming an existing directory receives SOURCE under its own name.",
        "SOURCE may hold wildcards (* ? [...]); when several match, TARGET must be an existing directory."})
final class CpCommand extends Verb {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Remote file or directory (also under /shared).")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "New path, or a directory to copy it into.")
    String target;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        for (RemoteTargets.Move m : RemoteTargets.plan(c, java.util.List.of(source), target)) {
            Usage u = c.files().copy(m.source(), m.target());
            if (!s.settings().quiet()) {
                s.console().out().println("copied " + m.source() + " to " + u.path() + " (" + u.size() + " bytes, "
                        + ChatCommand.plural((int) u.files(), "file") + ")");
            }
        }
    }
}
