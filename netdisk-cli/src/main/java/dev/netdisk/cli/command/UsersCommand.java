package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code users [PREFIX]}: finds user names, to add as friends. */
@Command(name = "users", description = "Find users whose name starts with PREFIX (at least 2 characters; at most 20 names).")
final class UsersCommand extends Verb {

    @Parameters(paramLabel = "PREFIX", description = "The start of the name, at least 2 characters.")
    String prefix;

    @Override
    void run(Session s) throws Exception {
        s.loggedIn().social().users(prefix).forEach(s.console().out()::println);
    }
}
