package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Share;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code link [--expires D] PATH}: a code with which any logged-in user can fetch one file. */
@Command(name = "link", description = {"Create a link to one of your files: any logged-in user can 'fetch CODE'.",
        "'links' lists them, 'unlink CODE' revokes one."})
final class LinkCommand extends Verb {

    @Option(names = "--expires", paramLabel = "DURATION", description = "How long it works: 30m, 12h, 7d, 2w (default: until revoked).")
    String expires;

    @Parameters(paramLabel = "PATH", description = "Your file.")
    String path;

    @Override
    void run(Session s) throws Exception {
        Share.Link link = s.loggedIn().sharing().link(path, expires);
        s.console().out().println(link.code() + (link.expires() == null ? "" : "  (expires " + link.expires() + ")"));
    }
}
