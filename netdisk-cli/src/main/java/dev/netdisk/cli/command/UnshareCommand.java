package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code unshare PATH [USER]}: ends a share with one friend or with everyone; {@code unshare link CODE} revokes a link. */
@Command(name = "unshare", description = {"Stop sharing PATH with USER, or with everyone.",
        "'unshare link CODE' revokes a link (as 'unlink CODE'); a file called link is ./link."})
final class UnshareCommand extends Verb {

    @Parameters(index = "0", paramLabel = "PATH", description = "Your shared file or directory.")
    String path;

    @Parameters(index = "1", arity = "0..1", paramLabel = "USER", description = "The friend (default: everyone).")
    String user;

    @Override
    void run(Session s) throws Exception {
        if (path.equals("link") && user != null) {
            // The spelling of 'unlink CODE'; a file called 'link' is written ./link.
            UnlinkCommand unlink = new UnlinkCommand();
            unlink.code = user;
            unlink.run(s);
            return;
        }
        s.console().out().println(PlainLanguage.serverText(s.loggedIn().sharing().unshare(path, user)));
    }
}
