package dev.netdisk.cli;

import dev.netdisk.cli.client.RemotePaths;
import dev.netdisk.cli.client.TransferResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code download [--overwrite] REMOTE [LOCAL]}: downloads one file, resuming from {@code NAME.part}. */
@Command(name = "download", aliases = "get", description = {
        "Download a remote file. An interrupted download resumes from NAME.part.",
        "The bytes go to NAME.part, which becomes NAME only after the MD5 of the whole file matched the server's."})
final class DownloadCommand extends Verb {

    @Option(names = "--overwrite", description = "Replace an existing local file.")
    boolean overwrite;

    @Parameters(index = "0", paramLabel = "REMOTE", description = "Remote file.")
    String remote;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL",
            description = "Local file or directory (default: the local working directory).")
    String local;

    @Override
    void run(Session s) throws Exception {
        Path target = local == null ? s.localDir() : s.local(local);
        TransferResult r;
        try (ProgressListener progress = s.progress("download", RemotePaths.basename(remote))) {
            r = s.loggedIn().download(remote, target, s.transferOptions(overwrite), progress);
        }
        if (!s.settings().quiet()) {
            s.out().println("downloaded " + r.remotePath() + " to " + r.localPath() + " (" + r.size() + " bytes"
                    + (r.offset() > 0 ? ", resumed at " + r.offset() : "") + ", md5 " + r.md5() + ")");
        }
    }
}
