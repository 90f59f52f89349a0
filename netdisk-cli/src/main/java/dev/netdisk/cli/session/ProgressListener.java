package dev.netdisk.cli.session;

import dev.netdisk.cli.client.TransferListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.IntSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows one transfer: a progress bar (bytes, percent, MiB/s, ETA) sized to the terminal when
 * there is one, and a line on stderr when the transfer resumes. Used by one thread; close it
 * when the transfer ends, however it ends.
 */
public final class ProgressListener implements TransferListener, AutoCloseable {

    private static final long MIB = 1024 * 1024;
    /** Hashing a smaller file is over before a bar would be worth drawing. */
    private static final long HASH_BAR_MIN = 32 * MIB;

    private final String verb;
    private final String name;
    private final PrintStream barStream;
    private final IntSupplier width;
    private final PrintWriter messages;
    private final Console console;
    private ProgressBar bar;
    private BarConsumer consumer;
    private BarConsumer hashConsumer;
    private BarConsumer lastConsumer;
    private ProgressBar hashBar;

    /**
     * @param barStream where the bar goes, or {@code null} for no bar
     * @param messages  where the resume line goes, or {@code null} for none
     */
    ProgressListener(String verb, String name, PrintStream barStream, IntSupplier width, PrintWriter messages,
                     Console console) {
        this.console = console;
        this.verb = verb;
        this.name = name;
        this.barStream = barStream;
        this.width = width;
        this.messages = messages;
    }

    /** Hashing a big file takes a while before the first byte moves: show that too. */
    @Override
    public void hashing(long hashed, long total) {
        if (barStream == null || total < HASH_BAR_MIN) {
            return;
        }
        if (hashBar == null) {
            hashBar = newBar("md5 " + name, total, 0);
            hashConsumer = lastConsumer;
        }
        hashBar.stepTo(hashed);
    }

    @Override
    public void started(String remotePath, long offset, long size) {
        console.transferAt(name, offset, size);
        closeHashBar();
        if (offset > 0 && messages != null) {
            messages.println(verb + ": " + name + ": resuming at " + offset + " bytes of " + size);
            messages.flush();
        }
        if (barStream != null) {
            bar = newBar(name, size, offset);
            consumer = lastConsumer;
        }
    }

    private ProgressBar newBar(String task, long max, long start) {
        // Our own consumer with a fixed width: progressbar's default opens a second (dumb)
        // terminal and wraps at 60 columns (LIBRARIES.md pitfall 4).
        // Three columns stay free: the terminal echoes Ctrl-C as "^C" after the bar, and on a
        // full line that would wrap and leave a "^" behind once the line is erased.
        int columns = Math.max(40, width.getAsInt() - 3);
        console.progressShown();  // events now go above the bar (Console.printEvent)
        String unit = max >= MIB ? "MiB" : max >= 64 * 1024 ? "KiB" : "B";
        long unitSize = max >= MIB ? MIB : max >= 64 * 1024 ? 1024 : 1;
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .startsFrom(start, Duration.ZERO)
                .setRenderer(new TransferBar(unit, unitSize))
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(columns)
                .setConsumer(lastConsumer = new BarConsumer(barStream, columns, console::cancelled))
                .build();
    }

    /**
     * progressbar's console consumer, except at the end: a finished bar stays on its line, a
     * cancelled one is erased (with the echoed {@code ^C}), so the "cancelled" line stands alone.
     */
    private static final class BarConsumer extends ConsoleProgressBarConsumer {
        private final PrintStream out;
        private final java.util.function.BooleanSupplier cancelled;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        BarConsumer(PrintStream out, int columns, java.util.function.BooleanSupplier cancelled) {
            super(out, columns);
            this.out = out;
            this.cancelled = cancelled;
        }

        /**
         * Ends the bar's line once. progressbar calls this from its drawing thread, except when the
         * bar is closed before its first tick: then {@link ProgressListener#close} does.
         */
        @Override
        public void close() {
            if (ended.getAndSet(true)) {
                return;
            }
            if (cancelled.getAsBoolean()) {
                out.print("\r\033[2K");
                out.flush();
            } else {
                super.close();
            }
        }
    }

    private void closeHashBar() {
        if (hashBar != null) {
            hashBar.close();
            hashConsumer.close();
            hashBar = null;
            console.progressGone();
        }
    }

    @Override
    public void notice(String line) {
        if (messages != null) {
            messages.println(verb + ": " + name + ": " + line);
            messages.flush();
        }
    }

    @Override
    public void progress(long position) {
        console.transferAt(name, position, -1);
        if (bar != null) {
            bar.stepTo(position);
        }
    }

    @Override
    public void close() {
        closeHashBar();
        if (bar != null) {
            bar.close();  // draws the last state, waiting for progressbar's thread
            consumer.close();
            bar = null;
            console.progressGone();
        }
    }
}
