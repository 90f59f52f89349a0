package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code users [PREFIX]}: finds user names, to add as friends. */
@Command(name = "users", description = "Find users whose name starts with PREFIX (at most 50).")
final class UsersCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "PREFIX", defaultValue = "", description = "The start of the name (default: any).")
    String prefix;

    @Override
    void run(Session s) throws Exception {
        s.loggedIn().social().users(prefix).forEach(s.console().out()::println);
    }
}
