package dev.netdisk.cli.session;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.TransferOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * The user's side of a run: the output streams, the progress line on the terminal, the local
 * working directory, the handle Ctrl-C cancels, and whether {@code exit} was asked for. The
 * {@link Session} owns one; commands print through it.
 *
 * <p>Threading: used by the thread that runs commands; only {@link #cancelTransfer()} may be
 * called from another thread (a Ctrl-C handler).
 */
public final class Console {

    private final Env env;
    private final boolean quiet;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Cancellation cancellation = new Cancellation();
    private final StampFile stamps;
    private Path localDir;
    private boolean exitRequested;
    private IntSupplier terminalWidth;
    private boolean progressBars;
    private final java.util.concurrent.atomic.AtomicInteger progressLines = new java.util.concurrent.atomic.AtomicInteger();

    Console(Env env, boolean quiet, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.quiet = quiet;
        this.out = out;
        this.err = err;
        this.localDir = env.workingDir();
        this.stamps = new StampFile(env.configDir());
        this.terminalWidth = env::terminalWidth;
        this.progressBars = env.stderrTerminal() && !quiet;
    }

    public PrintWriter out() {
        return out;
    }

    /**
     * Standard output as bytes ({@code cat}, {@code download REMOTE -}); the text written to
     * {@link #out()} so far is flushed first so the two keep their order.
     */
    public java.io.OutputStream stdout() {
        out.flush();
        return env.stdout();
    }

    /** Standard input as bytes ({@code upload - REMOTE}). */
    /** See {@link Env#tempDir()}. */
    public java.nio.file.Path tempDir() {
        return env.tempDir();
    }

    public java.io.InputStream stdin() {
        return env.stdin();
    }

    public PrintWriter err() {
        return err;
    }

    /** Whether {@code --quiet} was given: no informational lines, no per-file lines, no progress. */
    public boolean quiet() {
        return quiet;
    }

    /** Prints an informational line on stderr unless {@code --quiet}. */
    public void info(String message) {
        if (!quiet) {
            err.println(message);
            err.flush();
        }
    }

    /** Where uploads record the local file's state while they run (the config directory's {@code uploads.properties}). */
    public dev.netdisk.cli.client.UploadStamps stamps() {
        return stamps;
    }

    /** The file the latest transfer moves, its position and size in bytes ({@code jobs} shows them). */
    public record TransferState(String name, long position, long size) {
    }

    private volatile TransferState transfer;

    /** Records where the running transfer is; {@code size} -1 keeps the size known. Any thread. */
    void transferAt(String name, long position, long size) {
        TransferState t = transfer;
        transfer = new TransferState(name, position, size >= 0 ? size : t != null && t.name().equals(name) ? t.size() : -1);
    }

    /** Where the latest transfer of this console is, or null before the first. */
    public TransferState transfer() {
        return transfer;
    }

    /** The handle that Ctrl-C cancels, reset for a new command (unless {@link #kill killed}). */
    public Cancellation cancellation() {
        reset();
        return cancellation;
    }

    private volatile boolean killed;

    private void reset() {
        cancellation.reset();
        if (killed) {
            cancellation.cancel();  // a killed job's next transfer stops at once, whenever the kill came
        }
    }

    /** Cancels the running transfer and every later one of this console (a background job's {@code kill}). Any thread. */
    public void kill() {
        killed = true;
        cancellation.cancel();
    }

    /** Transfer options carrying this run's cancellation handle, reset for a new transfer. */
    public TransferOptions transferOptions(boolean overwrite) {
        reset();
        return TransferOptions.DEFAULTS.withOverwrite(overwrite).withCancellation(cancellation).withStamps(stamps);
    }

    /**
     * Stops the running transfer, if any. Safe from any thread.
     *
     * @return whether a transfer was running (it now ends with a cancellation its command reports)
     */
    public boolean cancelTransfer() {
        return cancellation.cancel();
    }

    /** Whether the current command's transfer was cancelled (Ctrl-C); does not reset the handle. */
    public boolean cancelled() {
        return cancellation.isCancelled();
    }

    /** Erases the progress line, if one may be drawn: the cursor is then at the start of an empty line. */
    public void eraseProgressLine() {
        PrintStream bar = progressBars ? env.progress() : null;
        if (bar != null) {
            synchronized (bar) {
                bar.print("\r\033[2K");
                bar.flush();
            }
        }
    }

    public void setTerminalWidth(IntSupplier width) {
        this.terminalWidth = width;
    }

    public void setProgressBars(boolean on) {
        this.progressBars = on && !quiet;
    }

    /** Where a progress line may be drawn (stderr on a terminal, not {@code --quiet}), or {@code null}. */
    public PrintStream progressStream() {
        return progressBars ? env.progress() : null;
    }

    /** The terminal's width in columns. */
    public int terminalWidth() {
        return terminalWidth.getAsInt();
    }

    /** A listener for one transfer: a bar on a terminal, the resume offset on stderr. */
    public ProgressListener progress(String verb, String name) {
        return new ProgressListener(verb, name, progressBars ? env.progress() : null, terminalWidth,
                quiet ? null : err, this);
    }

    /** A progress line is now drawn on {@link #progressStream()}; pair with {@link #progressGone()}. */
    public void progressShown() {
        progressLines.incrementAndGet();
    }

    /** A progress line drawn since {@link #progressShown()} is gone. */
    public void progressGone() {
        progressLines.decrementAndGet();
    }

    /**
     * Prints an event for people (a chat message, a notice) from any thread: while a progress line
     * is drawn, on a line of its own above it (the bar's line is erased first and the bar redraws
     * itself at its next tick, so the two never share a line), else through {@code elsewhere}
     * (the shell's print-above-the-prompt).
     */
    public void printEvent(String line, java.util.function.Consumer<String> elsewhere) {
        PrintStream bar = progressBars ? env.progress() : null;
        if (bar != null && progressLines.get() > 0) {
            // PrintStream locks itself for each print: holding its lock keeps the bar's redraw out.
            synchronized (bar) {
                bar.print("\r\033[2K" + line + "\n");
                bar.flush();
            }
            return;
        }
        elsewhere.accept(line);
    }

    public Path localDir() {
        return localDir;
    }

    /** A local path: {@code ~} is the home directory, a relative path starts at {@link #localDir()}. */
    public Path local(String path) {
        String p = path;
        if (p.equals("~") || p.startsWith("~/")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return localDir.resolve(p).normalize();
    }

    /**
     * Changes the local working directory.
     *
     * @throws NoSuchFileException / NotDirectoryException if {@code path} is not a directory
     */
    public void lcd(String path) throws IOException {
        Path dir = local(path);
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir) ? new NotDirectoryException(dir.toString())
                    : new NoSuchFileException(dir.toString());
        }
        localDir = dir.toRealPath();
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    /** Ends the shell or the script after this command, successfully. */
    public void requestExit() {
        exitRequested = true;
    }
}
