package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lcd [DIR]}: changes the local working directory of the shell or script. */
@Command(name = "lcd", description = "Change the local working directory (default: your home).")
final class LcdCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Local directory.")
    String dir;

    @Override
    void run(Session s) throws Exception {
        s.console().lcd(dir == null ? "~" : dir);
    }
}
