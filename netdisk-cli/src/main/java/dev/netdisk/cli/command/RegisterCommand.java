package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Credentials;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code register [USER]}: creates an account (PROTOCOL.md {@code REGISTER}); does not log in. */
@Command(name = "register", description = {"Create an account. It does not log in: run 'login' next.",
        "The password comes from --password-file, NETDISK_PASSWORD or a prompt (asked twice)."})
final class RegisterCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "USER", description = "The new user name (default: --user or NETDISK_USER).")
    String user;

    @Override
    void run(Session s) throws Exception {
        String name = user != null ? user : s.settings().user();
        if (name == null) {
            throw new UsageException("register needs a user name: register USER");
        }
        String password = Credentials.required(s.settings(), s.withPrompt(), name, true);
        s.connected().register(name, password);
        s.console().out().println("registered " + name);
    }
}
