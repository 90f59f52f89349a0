package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Credentials;
import dev.netdisk.cli.session.Session;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code passwd}: changes the logged-in user's password (PROTOCOL.md {@code PASSWD}). */
@Command(name = "passwd", description = {"Change your password. Your other sessions end (their saved logins too)",
        "unless --keep-sessions; this one stays logged in.",
        "The current password comes from --password-file, NETDISK_PASSWORD or a prompt; the new one from",
        "--new-password-file, NETDISK_NEW_PASSWORD or a prompt (asked twice)."})
final class PasswdCommand extends Verb {

    @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE's first line.")
    Path newPasswordFile;

    @Option(names = "--keep-sessions", description = "Keep your other sessions logged in.")
    boolean keepSessions;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        String current = Credentials.required(s.settings(), s.withPrompt(), c.user(), false);
        String next = Credentials.newPassword(s.withPrompt(), newPasswordFile);
        String text = c.changePassword(current, next, keepSessions);
        s.console().out().println(text);
    }
}
