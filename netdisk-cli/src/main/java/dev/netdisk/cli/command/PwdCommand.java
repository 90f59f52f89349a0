package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;

/** {@code pwd}: prints the remote working directory. */
@Command(name = "pwd", description = "Print the remote working directory.")
final class PwdCommand extends Verb {

    @Override
    void run(Session s) throws Exception {
        s.console().out().println(s.loggedIn().pwd());
    }
}
