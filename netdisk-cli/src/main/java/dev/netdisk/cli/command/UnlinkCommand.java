package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code unlink CODE}: revokes a link. */
@Command(name = "unlink", description = "Revoke a link.")
final class UnlinkCommand extends Verb {

    @Parameters(paramLabel = "CODE", description = "The link's code.")
    String code;

    @Override
    void run(Session s) throws Exception {
        s.loggedIn().sharing().unlink(code);
        s.console().out().println("link " + code + " revoked");
    }
}
