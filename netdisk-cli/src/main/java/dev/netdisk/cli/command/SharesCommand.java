package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Share;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;

/** {@code shares}: the shares you gave and received. */
@Command(name = "shares", description = "List the shares you gave (to USER) and received (from USER, under /shared).")
final class SharesCommand extends Verb {

    @Override
    void run(Session s) throws Exception {
        for (Share sh : s.loggedIn().sharing().shares()) {
            s.console().out().println((sh.outgoing() ? "to   " : "from ") + String.format("%-20s ", sh.user()) + sh.path());
        }
    }
}
