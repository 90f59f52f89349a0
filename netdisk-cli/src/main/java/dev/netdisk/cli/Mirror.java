package dev.netdisk.cli;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.RecursiveTransfer;
import dev.netdisk.cli.client.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.RecursiveTransfer.Summary;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.protocol.RemotePath;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code upload -r} and {@code download -r} on the command line: where the mirror goes, the
 * aggregate progress line, a line per finished file, the summary and the exit code. The
 * transfer itself is {@link RecursiveTransfer}.
 *
 * <p>Output: a line per transferred file and the summary on stdout (not with {@code --quiet});
 * a line per failed file on stderr (always); on a terminal, one progress line on stderr (files
 * done/total, bytes, MiB/s, ETA) redrawn below the file lines.
 */
final class Mirror {

    /** The server lets one user move bytes on 16 data connections at once (PROTOCOL.md section 10). */
    static final int MAX_PARALLEL = 16;

    private Mirror() {
    }

    static void upload(Session s, String local, String remote, int parallel) throws Exception {
        checkParallel(parallel);
        Path dir = s.local(local);
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
        try (Progress p = new Progress(s, "upload")) {
            Summary r = RecursiveTransfer.upload(c, s.moreConnections(), dir, target, parallel, s.cancellation(), p);
            p.summary(r);
            report(r, "upload");
        }
    }

    static void download(Session s, String remote, String local, int parallel) throws Exception {
        checkParallel(parallel);
        NetdiskClient c = s.loggedIn();
        String name = RemotePath.basename(RemotePath.absolute(c.cwd(), remote));
        Path target;
        if (local == null || local.endsWith("/")) {
            if (name.isEmpty()) {
                throw new UsageException("download -r of / needs a LOCALDIR");
            }
            target = (local == null ? s.localDir() : s.local(local)).resolve(name);
        } else {
            target = s.local(local);
        }
        try (Progress p = new Progress(s, "download")) {
            Summary r = RecursiveTransfer.download(c, s.moreConnections(), remote, target, parallel, s.cancellation(), p);
            p.summary(r);
            report(r, "download");
        }
    }

    private static void checkParallel(int parallel) throws UsageException {
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new UsageException("--parallel takes 1 to " + MAX_PARALLEL + ": " + parallel);
        }
    }

    /** Turns a run with failures into the exit code of its first failed file. */
    private static void report(Summary r, String verb) throws Exception {
        if (r.stoppedBy() instanceof TransferCancelledException) {
            throw new TransferCancelledException(verb + " -r cancelled: " + r.notAttempted() + " of " + r.files()
                    + " files not transferred");
        }
        if (r.failed() == 0 && r.stoppedBy() == null) {
            return;
        }
        Throwable first = r.failures().isEmpty() ? r.stoppedBy() : r.failures().get(0).failure();
        Failures.Failure f = Failures.of(first);
        String message = r.failed() + " of " + r.files() + " files failed"
                + (r.notAttempted() > 0 ? ", " + r.notAttempted() + " not attempted" : "") + " (first: " + f.message() + ")";
        throw new FilesFailedException(f.code(), message);
    }

    /** The aggregate progress line and the per-file lines. Thread-safe: workers call it. */
    private static final class Progress implements RecursiveTransfer.Listener, AutoCloseable {

        private static final double MIB = 1024.0 * 1024.0;

        private final String verb;
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean quiet;
        private final PrintStream bar;
        private final int width;
        private final long start = System.nanoTime();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicLong moved = new AtomicLong();
        private final AtomicLong bytesDone = new AtomicLong();
        private volatile int total;
        private volatile long totalBytes;
        private final Thread redraw;
        private volatile boolean closed;
        private int drawn;

        Progress(Session s, String verb) {
            this.verb = verb;
            this.out = s.out();
            this.err = s.err();
            this.quiet = s.settings().quiet();
            this.bar = s.progressStream();
            this.width = Math.max(40, s.terminalWidth() - 1);
            if (bar != null) {
                redraw = new Thread(this::redrawLoop, "netdisk-progress");
                redraw.setDaemon(true);
                redraw.start();
            } else {
                redraw = null;
            }
        }

        @Override
        public void planned(int files, long bytes) {
            total = files;
            totalBytes = bytes;
        }

        @Override
        public void transferred(long delta) {
            moved.addAndGet(delta);
            bytesDone.addAndGet(delta);
        }

        @Override
        public synchronized void finished(FileOutcome o) {
            done.incrementAndGet();
            if (o.status() == RecursiveTransfer.Status.SKIPPED) {
                bytesDone.addAndGet(o.size());
                return;
            }
            clearLine();
            if (o.status() == RecursiveTransfer.Status.FAILED) {
                err.println("netdisk: " + verb + ": " + where(o) + ": " + Failures.of(o.failure()).message());
                err.flush();
            } else if (!quiet) {
                out.println((verb.equals("upload") ? "uploaded " + o.remotePath() : "downloaded " + o.localPath())
                        + " (" + o.size() + " bytes" + (o.resumedAt() > 0 ? ", resumed at " + o.resumedAt() : "") + ")");
                out.flush();
            }
            draw();
        }

        @Override
        public synchronized void directoryFailed(FileOutcome o) {
            clearLine();
            err.println("netdisk: " + verb + ": " + where(o) + ": " + Failures.of(o.failure()).message());
            err.flush();
        }

        private static String where(FileOutcome o) {
            return o.remotePath() != null ? o.remotePath() : o.localPath().toString();
        }

        void summary(Summary r) {
            stop();
            if (quiet) {
                return;
            }
            double seconds = Math.max(r.elapsed().toNanos() / 1e9, 1e-3);
            String verbed = verb.equals("upload") ? "uploaded" : "downloaded";
            out.println(String.format(Locale.ROOT, "%s -r %s %s %s: %d files: %d %s (%d bytes), %d identical skipped, "
                            + "%d failed%s, %d directories created, in %.1f s (%.0f files/s, %.1f MiB/s)",
                    verb, verb.equals("upload") ? r.localRoot() : r.remoteRoot(), "->",
                    verb.equals("upload") ? r.remoteRoot() : r.localRoot(), r.files(), r.transferred(), verbed,
                    r.bytesTransferred(), r.skipped(), r.failed(),
                    r.notAttempted() > 0 ? ", " + r.notAttempted() + " not attempted" : "", r.directoriesCreated(),
                    seconds, (r.transferred() + r.skipped()) / seconds, r.bytesTransferred() / MIB / seconds));
            out.flush();
        }

        private void redrawLoop() {
            while (!closed) {
                synchronized (this) {
                    if (!closed) {
                        draw();
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Draws the progress line (caller holds the lock). */
        private void draw() {
            if (bar == null || closed) {
                return;
            }
            double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-3);
            double speed = moved.get() / seconds;
            long left = Math.max(0, totalBytes - bytesDone.get());
            String eta = speed > 0 ? duration((long) (left / speed)) : "--:--";
            String line = String.format(Locale.ROOT, "%s: %d/%d files, %s of %s, %.1f MiB/s, ETA %s", verb,
                    done.get(), total, Format.humanSize(bytesDone.get()), Format.humanSize(totalBytes), speed / MIB, eta);
            if (line.length() > width) {
                line = line.substring(0, width);
            }
            bar.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            bar.flush();
            drawn = line.length();
        }

        private void clearLine() {
            if (bar != null && drawn > 0) {
                bar.print("\r" + " ".repeat(drawn) + "\r");
                bar.flush();
                drawn = 0;
            }
        }

        private static String duration(long seconds) {
            return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                    : String.format("%d:%02d", seconds / 60, seconds % 60);
        }

        private synchronized void stop() {
            clearLine();
            closed = true;
        }

        @Override
        public void close() {
            stop();
            if (redraw != null) {
                redraw.interrupt();
            }
        }
    }
}
