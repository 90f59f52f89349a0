package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.mirror.RecursiveTransfer;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Summary;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.RemotePath;
import java.nio.file.Path;

/**
 * {@code upload -r} and {@code download -r} on the command line: where the mirror goes and the
 * exit code. The transfer itself is {@link RecursiveTransfer}; what it prints meanwhile,
 * {@link MirrorProgress}.
 */
final class Mirror {

    /** The server lets one user move bytes on 16 data connections at once (PROTOCOL.md section 10). */
    static final int MAX_PARALLEL = 16;

    private Mirror() {
    }

    static void upload(Session s, String local, String remote, int parallel, boolean followLinks, boolean checksum)
            throws Exception {
        checkParallel(parallel);
        Path dir = s.console().local(local);
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String target;
        if (remote == null || remote.isEmpty() || remote.endsWith("/")) {
            if (name == null) {
                throw new UsageException("upload -r of / needs a REMOTE directory");
            }
            target = (remote == null ? "" : remote) + name;
        } else {
            target = remote;
        }
        NetdiskClient c = s.loggedIn();
        try (MirrorProgress p = new MirrorProgress(s, "upload")) {
            Summary r = RecursiveTransfer.upload(c, s.moreConnections(), dir, target, parallel, followLinks, checksum,
                    s.console().stamps(), s.console().cancellation(), p);
            p.summary(r);
            report(r, "upload");
        }
    }

    static void download(Session s, String remote, String local, int parallel, boolean checksum) throws Exception {
        checkParallel(parallel);
        NetdiskClient c = s.loggedIn();
        // RemotePath.absolute's expression: that class stays in the root package for the protocol move.
        String name = RemotePath.basename(RemotePath.normalize(remote.startsWith("/") ? remote
                : RemotePath.join(c.cwd(), remote)));
        Path target;
        if (local == null || local.endsWith("/")) {
            if (name.isEmpty()) {
                throw new UsageException("download -r of / needs a LOCALDIR");
            }
            target = (local == null ? s.console().localDir() : s.console().local(local)).resolve(name);
        } else {
            target = s.console().local(local);
        }
        try (MirrorProgress p = new MirrorProgress(s, "download")) {
            Summary r = RecursiveTransfer.download(c, s.moreConnections(), remote, target, parallel, checksum,
                    s.console().cancellation(), p);
            p.summary(r);
            report(r, "download");
        }
    }

    static void checkParallel(int parallel) throws UsageException {
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new UsageException("--parallel takes 1 to " + MAX_PARALLEL + ": " + parallel);
        }
    }

    /** Turns a run with failures into the exit code of its first failed file. */
    static void report(Summary r, String verb) throws Exception {
        if (r.stoppedBy() instanceof TransferCancelledException) {
            throw new TransferCancelledException(verb + " -r cancelled: " + r.notAttempted() + " of " + r.files()
                    + " files not transferred");
        }
        if (r.failures().isEmpty() && r.stoppedBy() == null) {
            return;
        }
        Throwable first = r.failures().isEmpty() ? r.stoppedBy() : r.failures().get(0).failure();
        Failures.Failure f = Failures.of(first);
        String message = r.failed() + " of " + r.files() + " files failed"
                + (r.directoriesFailed() > 0 ? ", " + r.directoriesFailed() + " directories failed" : "")
                + (r.notAttempted() > 0 ? ", " + r.notAttempted() + " not attempted" : "") + " (first: " + f.message() + ")";
        throw new FilesFailedException(f.code(), message);
    }
}
