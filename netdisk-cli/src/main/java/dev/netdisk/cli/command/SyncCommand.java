package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.mirror.RecursiveTransfer;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Summary;
import dev.netdisk.cli.client.mirror.Sync;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sync [-n] [-L] SOURCE TARGET}: makes a directory on one side equal to one on the other. */
@Command(name = "sync", description = {"Make TARGET equal to SOURCE: a local directory and a remote one, either way.",
        "What is missing or differs is sent (as upload -r / download -r do: identical files skipped, each file resumes);",
        "what TARGET has and SOURCE lacks is deleted: to the trash on the server, for good on the local side.",
        "The direction: SOURCE is local if it is a local directory and TARGET is not; else SOURCE is remote.",
        "When both are local directories, say which way with --up or --down. Try --dry-run first."})
final class SyncCommand extends Verb {

    @Option(names = {"-n", "--dry-run"}, description = "Only list what would be sent and deleted.")
    boolean dryRun;

    @Option(names = {"-L", "--follow-links"}, description = "Follow symbolic links in a local SOURCE; without it each "
            + "link is skipped and named on stderr. Refused when SOURCE is remote (the server has no links).")
    boolean followLinks;

    @Option(names = {"-c", "--checksum"}, description = "Compare files of the same size by MD5 even when their "
            + "modification times match (slower: reads every such local file).")
    boolean checksum;

    @Option(names = "--up", description = "SOURCE is the local directory, TARGET the remote one.")
    boolean up;

    @Option(names = "--down", description = "SOURCE is the remote directory, TARGET the local one.")
    boolean down;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "How many files move at once, 1 to 16 (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The directory to copy from.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The directory to make equal to SOURCE.")
    String target;

    @Override
    void run(Session s) throws Exception {
        Mirror.checkParallel(parallel);
        boolean upward = direction(s);
        if (followLinks && !upward) {
            // Links are local things: a download writes plain files and directories, and a link
            // in the local TARGET is deleted or replaced as a file, never followed.
            throw new UsageException("-L follows links in a local SOURCE; this sync's SOURCE is the remote " + source);
        }
        NetdiskClient c = s.loggedIn();
        PrintWriter out = s.console().out();
        PrintWriter err = s.console().err();
        Sync.LocalTreeSkips skips = new Sync.LocalTreeSkips() {
            @Override
            public void skipped(Path path, String why) {
                err.println("netdisk: sync: skipped " + path + ": " + why);
                err.flush();
            }

            @Override
            public void unreadable(Path path, IOException e) {
                err.println("netdisk: sync: " + Failures.of(e).message());
                err.flush();
            }
        };
        Sync.Plan plan = upward
                ? Sync.planUpload(c, s.console().local(source), target, followLinks, dryRun, checksum,
                        s.console().cancellation(), skips)
                : Sync.planDownload(c, source, s.console().local(target), dryRun, checksum, s.console().cancellation());
        String from = upward ? plan.localRoot().toString() : plan.remoteRoot();
        String to = upward ? plan.remoteRoot() : plan.localRoot().toString();
        if (dryRun) {
            for (Sync.Change d : plan.deletes()) {
                out.println("would delete " + d.path() + (d.directory() ? "/" : "") + (upward ? " (to the trash)" : ""));
            }
            long bytes = 0;
            int files = 0;
            for (Sync.Change send : plan.sends()) {
                out.println(send.directory() ? "would make " + send.path() + "/"
                        : "would send " + send.path() + " (" + send.size() + " bytes)");
                if (!send.directory()) {
                    bytes += send.size();
                    files++;
                }
            }
            out.println(String.format(Locale.ROOT, "sync --dry-run %s -> %s: would send %s (%d bytes), delete %d, "
                    + "%d identical", from, to, ChatCommand.plural(files, "file"), bytes, plan.deletes().size(),
                    plan.identical()));
            return;
        }
        int deleted = 0;
        int deleteFailures = 0;
        Exception firstDeleteFailure = null;
        for (Sync.Change d : plan.deletes()) {
            try {
                if (upward) {
                    long id = Sync.deleteRemote(c, plan, d);
                    if (!s.settings().quiet()) {
                        out.println("trashed " + d.path() + (d.directory() ? "/" : "") + " (trash id " + id + ")");
                    }
                } else {
                    Sync.deleteLocal(plan, d);
                    if (!s.settings().quiet()) {
                        out.println("deleted " + plan.localRoot().resolve(d.path()));
                    }
                }
                deleted++;
            } catch (IOException e) {
                deleteFailures++;
                firstDeleteFailure = firstDeleteFailure == null ? e : firstDeleteFailure;
                err.println("netdisk: sync: " + d.path() + ": " + Failures.of(e).message());
                err.flush();
            }
        }
        Summary r;
        try (MirrorProgress p = new MirrorProgress(s, upward ? "upload" : "download")) {
            r = upward
                    ? RecursiveTransfer.upload(c, s.moreConnections(), plan.localRoot(), plan.remoteRoot(), parallel,
                            followLinks, checksum, s.console().stamps(), s.console().cancellation(), p)
                    : RecursiveTransfer.download(c, s.moreConnections(), plan.remoteRoot(), plan.localRoot(), parallel,
                            checksum, s.console().cancellation(), p);
        }
        if (!s.settings().quiet()) {
            out.println(String.format(Locale.ROOT, "sync %s -> %s: %d sent (%d bytes), %d identical, %d deleted, %d failed%s%s",
                    from, to, r.transferred(), r.bytesTransferred(), r.skipped(), deleted, r.failed() + deleteFailures,
                    r.notAttempted() > 0 ? ", " + r.notAttempted() + " not attempted" : "",
                    r.directoriesFailed() > 0 ? ", " + r.directoriesFailed() + " directories failed" : ""));
        }
        Mirror.report(r, "sync");
        if (firstDeleteFailure != null) {
            Failures.Failure f = Failures.of(firstDeleteFailure);
            throw new FilesFailedException(f.code(), deleteFailures + " deletions failed (first: " + f.message() + ")");
        }
    }

    /** True for local to remote. */
    private boolean direction(Session s) {
        if (up && down) {
            throw new UsageException("give --up or --down, not both");
        }
        if (up || down) {
            return up;
        }
        boolean sourceLocal = Files.isDirectory(s.console().local(source));
        boolean targetLocal = Files.isDirectory(s.console().local(target));
        if (sourceLocal && targetLocal) {
            throw new UsageException("both " + source + " and " + target + " are local directories: say which is the "
                    + "remote one with --up (local to remote) or --down (remote to local)");
        }
        return sourceLocal;
    }
}
