package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.NotLoggedInException;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.SessionStore;
import dev.netdisk.protocol.ReplyException;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code logout}: revokes the session token on the server and removes the saved session. */
@Command(name = "logout", description = "Revoke the session on the server and remove the saved session.")
final class LogoutCommand extends Verb {

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.connected();
        if (c.user() == null) {
            String user = s.settings().user();
            SessionStore store = s.store();
            Optional<SessionStore.Saved> saved = user != null
                    ? store.find(s.settings().host(), s.settings().port(), user)
                    : store.newest(s.settings().host(), s.settings().port());
            if (saved.isEmpty()) {
                throw new NotLoggedInException("not logged in: no saved session for "
                        + (user == null ? "" : user + "@") + s.settings().host() + ":" + s.settings().port());
            }
            try {
                c.loginWithToken(saved.get().token());
            } catch (ReplyException e) {
                if (e.code() != 530) {
                    throw e;
                }
                store.remove(s.settings().host(), s.settings().port(), saved.get().user());
                s.console().out().println("removed the saved session of " + saved.get().user() + " (it had already ended)");
                return;
            }
        }
        String name = c.user();
        s.logout();
        s.console().out().println("logged out " + name);
    }
}
