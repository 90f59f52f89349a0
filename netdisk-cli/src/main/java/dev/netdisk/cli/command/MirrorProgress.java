package dev.netdisk.cli.command;

import dev.netdisk.cli.client.mirror.RecursiveTransfer;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.FileOutcome;
import dev.netdisk.cli.client.mirror.RecursiveTransfer.Summary;
import dev.netdisk.cli.session.Session;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The terminal side of {@code upload -r} and {@code download -r}: a line per transferred file and
 * the summary on stdout (not with {@code --quiet}), a line per failed file on stderr (always),
 * and on a terminal one progress line on stderr (files done/total, bytes, MiB/s, ETA), redrawn
 * every 200 ms below the file lines.
 *
 * <p>Thread-safe: the transfer's workers call it.
 */
final class MirrorProgress implements RecursiveTransfer.Listener, AutoCloseable {

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
    private final dev.netdisk.cli.session.Console console;
    private volatile boolean closed;
    private int drawn;

    MirrorProgress(Session s, String verb) {
        this.verb = verb;
        this.out = s.console().out();
        this.err = s.console().err();
        this.quiet = s.settings().quiet();
        this.bar = s.console().progressStream();
        this.width = Math.max(40, s.console().terminalWidth() - 1);
        if (bar != null) {
            s.console().progressShown();  // chat events now go above the line (Console.printEvent)
            console = s.console();
            redraw = new Thread(this::redrawLoop, "netdisk-progress");
            redraw.setDaemon(true);
            redraw.start();
        } else {
            console = null;
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

    /** One line about one file (a resume that starts over), on stderr unless --quiet. */
    @Override
    public synchronized void notice(java.nio.file.Path localPath, String line) {
        if (quiet) {
            return;
        }
        clearLine();
        err.println("netdisk: " + verb + ": " + localPath + ": " + line);
        err.flush();
    }

    /** A link left out is named on stderr even with --quiet: a tree that arrives incomplete must say so. */
    @Override
    public synchronized void skipped(java.nio.file.Path path, String why) {
        clearLine();
        err.println("netdisk: " + verb + ": skipped " + path + ": " + why);
        err.flush();
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
                        + "%d failed%s%s, %d directories created, in %.1f s (%.0f files/s, %.1f MiB/s)",
                verb, verb.equals("upload") ? r.localRoot() : r.remoteRoot(), "->",
                verb.equals("upload") ? r.remoteRoot() : r.localRoot(), r.files(), r.transferred(), verbed,
                r.bytesTransferred(), r.skipped(), r.failed(),
                r.notAttempted() > 0 ? ", " + r.notAttempted() + " not attempted" : "",
                r.directoriesFailed() > 0 ? ", " + r.directoriesFailed() + " directories failed" : "", r.directoriesCreated(),
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
        if (!closed && console != null) {
            console.progressGone();
        }
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
