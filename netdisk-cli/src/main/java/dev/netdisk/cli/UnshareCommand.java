package dev.netdisk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code unshare PATH [USER]}: ends a share with one friend or with everyone. */
@Command(name = "unshare", description = "Stop sharing PATH with USER, or with everyone.")
final class UnshareCommand extends Verb {

    @Parameters(index = "0", paramLabel = "PATH", description = "Your shared file or directory.")
    String path;

    @Parameters(index = "1", arity = "0..1", paramLabel = "USER", description = "The friend (default: everyone).")
    String user;

    @Override
    void run(Session s) throws Exception {
        s.out().println(s.loggedIn().unshare(path, user));
    }
}
