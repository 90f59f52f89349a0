package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;

/** {@code exit} / {@code quit}: leaves the shell or ends a script early, successfully. */
@Command(name = "exit", aliases = {"quit", "bye"}, description = "Leave the shell (Ctrl-D does too).")
final class ExitCommand extends Verb {

    @Override
    void run(Session s) {
        s.console().requestExit();
    }
}
