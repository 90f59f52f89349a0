package dev.netdisk.cli.command;

import dev.netdisk.cli.client.LoginResult;
import dev.netdisk.cli.session.Credentials;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code login [USER]}: logs in with a password and saves the session token for later commands. */
@Command(name = "login", description = {"Log in with a password and save the session, so later commands need no password.",
        "The session token is saved (mode 0600) in the config directory; 'logout' revokes and removes it."})
final class LoginCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "USER", description = "The user name (default: --user or NETDISK_USER).")
    String user;

    @Override
    void run(Session s) throws Exception {
        String name = user != null ? user : s.settings().user();
        if (name == null) {
            throw new UsageException("login needs a user name: login USER");
        }
        String password = Credentials.required(s.settings(), s.withPrompt(), name, false);
        LoginResult result = s.loginAndSave(name, password);
        s.console().out().println("logged in as " + result.user() + " on " + s.settings().host() + ":" + s.settings().port()
                + (result.expires() == null ? "" : "; session saved until " + result.expires()));
    }
}
