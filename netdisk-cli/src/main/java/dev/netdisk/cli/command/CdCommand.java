package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cd [PATH]}: changes the remote working directory. */
@Command(name = "cd", description = "Change the remote working directory (default: /).")
final class CdCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "Remote directory; relative to the working directory.")
    String path;

    @Override
    void run(Session s) throws Exception {
        s.loggedIn().cd(path);
    }
}
