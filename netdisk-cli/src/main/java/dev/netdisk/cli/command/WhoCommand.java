package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;

/** {@code who}: the friends online now. */
@Command(name = "who", description = "List the friends who are online now.")
final class WhoCommand extends Verb {

    @Override
    void run(Session s) throws Exception {
        s.loggedIn().social().who().forEach(s.console().out()::println);
    }
}
