package dev.netdisk.cli;

import dev.netdisk.cli.client.TransferResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code upload [--overwrite] LOCAL [REMOTE]}: uploads one file, resuming an interrupted upload. */
@Command(name = "upload", aliases = "put", description = {
        "Upload a local file. An interrupted upload of the same file resumes where it stopped.",
        "REMOTE ending in / or naming an existing directory puts the file inside it under its local name.",
        "The server verifies the MD5 of the whole file before the file becomes visible."})
final class UploadCommand extends Verb {

    @Option(names = "--overwrite", description = "Replace an existing remote file.")
    boolean overwrite;

    @Parameters(index = "0", paramLabel = "LOCAL", description = "Local file.")
    String local;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REMOTE",
            description = "Remote file or directory (default: the working directory).")
    String remote;

    @Override
    void run(Session s) throws Exception {
        Path file = s.local(local);
        TransferResult r;
        try (ProgressListener progress = s.progress("upload", file.getFileName().toString())) {
            r = s.loggedIn().upload(file, remote, s.transferOptions(overwrite), progress);
        }
        if (!s.settings().quiet()) {
            s.out().println("uploaded " + r.remotePath() + " (" + r.size() + " bytes"
                    + (r.offset() > 0 ? ", resumed at " + r.offset() : "") + ", md5 " + r.md5() + ")");
        }
    }
}
