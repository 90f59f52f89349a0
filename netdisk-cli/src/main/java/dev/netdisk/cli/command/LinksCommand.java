package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Share;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;

/** {@code links}: your links. */
@Command(name = "links", description = "List your links: code, expiry, file.")
final class LinksCommand extends Verb {

    @Override
    void run(Session s) throws Exception {
        for (Share.Link l : s.loggedIn().sharing().links()) {
            s.console().out().println(l.code() + "  " + (l.expires() == null ? "never                   " : l.expires()) + "  " + l.path());
        }
    }
}
