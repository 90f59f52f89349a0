package dev.netdisk.cli.command;

import dev.netdisk.cli.client.TransferResult;
import dev.netdisk.cli.session.ProgressListener;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.RemotePath;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code upload [--overwrite] LOCAL [REMOTE]} or {@code upload LOCAL... DIR}: uploads files, resuming interrupted ones. */
@Command(name = "upload", customSynopsis = {"upload [-h] [--overwrite] LOCAL [REMOTE]", "       upload [-h] [--overwrite] - REMOTE", "       upload [-h] [--overwrite] LOCAL... DIR", "       upload [-h] -r [--parallel N] LOCALDIR [REMOTE]"}, aliases = "put", description = {
        "Upload local files. An interrupted upload of the same file resumes where it stopped.",
        "REMOTE ending in / or naming an existing directory puts the file inside it under its local name;",
        "with more than one LOCAL the last argument is that directory.",
        "LOCAL '-' reads standard input to its end into a private temporary file (deleted afterwards), then uploads that to REMOTE.",
        "The server verifies the MD5 of the whole file before the file becomes visible.",
        "With -r, LOCALDIR is a directory and REMOTE the directory that mirrors it (default: LOCALDIR's name in the "
                + "working directory; REMOTE ending in / receives it under that name)."})
final class UploadCommand extends Verb {

    @Mixin
    MirrorOptions mirror;

    @Option(names = "--overwrite", description = "Replace existing remote files.")
    boolean overwrite;

    @Parameters(arity = "1..*", paramLabel = "LOCAL",
            description = "Local file(s), then the remote file or directory (default: the working directory).")
    List<String> args;

    @Override
    void run(Session s) throws Exception {
        if (mirror.recursive) {
            if (args.size() > 2) {
                throw new UsageException("upload -r takes one directory and at most one target: LOCALDIR [REMOTE]");
            }
            Mirror.upload(s, args.get(0), args.size() > 1 ? args.get(1) : null, mirror.parallel, mirror.followLinks,
                    mirror.checksum);
            return;
        }
        if (args.contains("-")) {
            fromStdin(s);
            return;
        }
        List<String> locals = args.size() == 1 ? args : args.subList(0, args.size() - 1);
        String remote = args.size() == 1 ? null : args.get(args.size() - 1);
        if (locals.size() > 1 && !remote.endsWith("/")) {
            remote = remote + "/";  // several files go into a directory
        }
        for (String local : locals) {
            upload(s, s.console().local(local), remote);
        }
    }

    private void fromStdin(Session s) throws Exception {
        if (args.size() != 2 || !args.get(0).equals("-")) {
            throw new UsageException("upload from standard input takes exactly: - REMOTE");
        }
        String remote = args.get(1);
        if (remote.endsWith("/")) {
            throw new UsageException("standard input has no name: give the remote file's name, not a directory: " + remote);
        }
        TransferResult r;
        try (ProgressListener progress = s.console().progress("upload", RemotePath.basename(remote))) {
            r = s.loggedIn().uploadFrom(s.console().stdin(), s.console().tempDir(), remote, s.console().transferOptions(overwrite), progress);
        }
        if (!s.settings().quiet()) {
            s.console().out().println("uploaded " + r.remotePath() + " (" + r.size() + " bytes, md5 " + r.md5() + ")");
        }
    }

    private void upload(Session s, Path file, String remote) throws Exception {
        TransferResult r;
        try (ProgressListener progress = s.console().progress("upload", file.getFileName().toString())) {
            r = s.loggedIn().upload(file, remote, s.console().transferOptions(overwrite), progress);
        }
        if (!s.settings().quiet()) {
            s.console().out().println("uploaded " + r.remotePath() + " (" + r.size() + " bytes"
                    + (r.offset() > 0 ? ", resumed at " + r.offset() : "") + ", md5 " + r.md5() + ")");
        }
    }
}
