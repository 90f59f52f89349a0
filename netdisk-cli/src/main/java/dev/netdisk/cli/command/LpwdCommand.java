package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;

/** {@code lpwd}: prints the local working directory. */
@Command(name = "lpwd", description = "Print the local working directory.")
final class LpwdCommand extends Verb {

    @Override
    void run(Session s) {
        s.console().out().println(s.console().localDir());
    }
}
