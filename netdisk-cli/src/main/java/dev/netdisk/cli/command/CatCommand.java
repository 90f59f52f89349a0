package dev.netdisk.cli.command;

import dev.netdisk.cli.client.RemoteGlob;
import dev.netdisk.cli.session.ProgressListener;
import dev.netdisk.cli.session.Session;
import dev.netdisk.protocol.RemotePath;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cat REMOTE...}: writes remote files to standard output, one after the other. */
@Command(name = "cat", description = {"Write remote files to standard output, one after the other.",
        "REMOTE may hold wildcards (* ? [...]).",
        "Each file's MD5 is checked at its end; a mismatch fails the command (exit 6) after the bytes went out."})
final class CatCommand extends Verb {

    @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Remote files.")
    List<String> remotes;

    @Override
    void run(Session s) throws Exception {
        for (String pattern : remotes) {
            for (String remote : RemoteGlob.expand(s.loggedIn(), pattern)) {
                toStdout(s, remote);
            }
        }
    }

    /** Writes {@code remote} to standard output, with a progress bar on the terminal's stderr. */
    static void toStdout(Session s, String remote) throws Exception {
        try (ProgressListener progress = s.console().progress("download", RemotePath.basename(remote))) {
            s.loggedIn().downloadTo(remote, s.console().stdout(), s.console().transferOptions(false), progress);
        }
    }
}
