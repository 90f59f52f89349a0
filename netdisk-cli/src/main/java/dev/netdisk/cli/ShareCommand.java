package dev.netdisk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code share PATH USER}: shares read-only with a friend, who sees it under {@code /shared/OWNER/}. */
@Command(name = "share", description = {"Share a remote file or directory read-only with a friend.",
        "They see it as /shared/YOU/NAME. 'shares' lists shares, 'unshare' ends one."})
final class ShareCommand extends Verb {

    @Parameters(index = "0", paramLabel = "PATH", description = "Your file or directory.")
    String path;

    @Parameters(index = "1", paramLabel = "USER", description = "The friend.")
    String user;

    @Override
    void run(Session s) throws Exception {
        s.out().println(s.loggedIn().share(path, user));
    }
}
