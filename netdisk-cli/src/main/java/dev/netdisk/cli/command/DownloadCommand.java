package dev.netdisk.cli.command;

import dev.netdisk.cli.client.TransferResult;
import dev.netdisk.cli.session.ProgressListener;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.RemotePath;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import dev.netdisk.cli.client.RemoteGlob;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code download [--overwrite] REMOTE [LOCAL]} or {@code download REMOTE... DIR}: downloads files, resuming from {@code NAME.part}. */
@Command(name = "download", customSynopsis = {"download [-h] [--overwrite] REMOTE [LOCAL]", "       download [-h] REMOTE -", "       download [-h] [--overwrite] REMOTE... DIR", "       download [-h] -r [--parallel N] REMOTE [LOCALDIR]"}, aliases = "get", description = {
        "Download remote files. An interrupted download resumes from NAME.part.",
        "The bytes go to NAME.part, which becomes NAME only after the MD5 of the whole file matched the server's.",
        "With more than one REMOTE the last argument is the local directory to put them in.",
        "REMOTE may hold wildcards (* ? [...]), expanded from listings; a backslash or quotes in the shell keep them literal.",
        "LOCAL '-' writes the file to standard output (as 'cat' does; checked at its end, never resumed).",
        "With -r, REMOTE is a directory and LOCALDIR the directory that mirrors it (default: REMOTE's name in the "
                + "local working directory; LOCALDIR ending in / receives it under that name)."})
final class DownloadCommand extends Verb {

    @Mixin
    MirrorOptions mirror;

    @Option(names = "--overwrite", description = "Replace existing local files.")
    boolean overwrite;

    @Parameters(arity = "1..*", paramLabel = "REMOTE",
            description = "Remote file(s), then the local file or directory (default: the local working directory).")
    List<String> args;

    @Override
    void run(Session s) throws Exception {
        if (mirror.recursive) {
            if (args.size() > 2) {
                throw new UsageException("download -r takes one directory and at most one target: REMOTE [LOCALDIR]");
            }
            Mirror.download(s, args.get(0), args.size() > 1 ? args.get(1) : null, mirror.parallel, mirror.checksum);
            return;
        }
        if (args.size() == 2 && args.get(1).equals("-")) {
            for (String remote : RemoteGlob.expand(s.loggedIn(), args.get(0))) {
                CatCommand.toStdout(s, remote);
            }
            return;
        }
        List<String> remotes = new ArrayList<>();
        for (String remote : args.size() == 1 ? args : args.subList(0, args.size() - 1)) {
            remotes.addAll(RemoteGlob.expand(s.loggedIn(), remote));
        }
        Path target = args.size() == 1 ? s.console().localDir()
                : s.console().local(RemoteGlob.literal(args.get(args.size() - 1)));
        if (remotes.size() > 1 && !Files.isDirectory(target)) {
            throw new NotDirectoryException(target.toString());
        }
        for (String remote : remotes) {
            download(s, remote, target);
        }
    }

    private void download(Session s, String remote, Path target) throws Exception {
        TransferResult r;
        try (ProgressListener progress = s.console().progress("download", RemotePath.basename(remote))) {
            r = s.loggedIn().download(remote, target, s.console().transferOptions(overwrite), progress);
        }
        if (!s.settings().quiet()) {
            s.console().out().println("downloaded " + r.remotePath() + " to " + r.localPath() + " (" + r.size() + " bytes"
                    + (r.offset() > 0 ? ", resumed at " + r.offset() : "") + ", md5 " + r.md5() + ")");
        }
    }
}
