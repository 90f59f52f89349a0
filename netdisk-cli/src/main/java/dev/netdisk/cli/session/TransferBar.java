package dev.netdisk.cli.session;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * How a transfer's progress line reads: {@code NAME  42% [=====>    ] 120.0/286.1 MiB  98.5 MiB/s  0:00:02 left}.
 * The rate is the bytes moved since the bar started (a resume's kept bytes excluded) over the time
 * since then, measured in nanoseconds: progressbar's own renderer divides by whole seconds and
 * shows {@code ?} for the first one. Stateless; called on progressbar's drawing thread.
 */
final class TransferBar implements ProgressBarRenderer {

    private final String unitName;
    private final long unitSize;

    TransferBar(String unitName, long unitSize) {
        this.unitName = unitName;
        this.unitSize = unitSize;
    }

    @Override
    public String render(ProgressState state, int maxLength) {
        return line(state.getTaskName(), state.getStart(), state.getCurrent(), state.getMax(),
                state.getElapsedAfterStart(), maxLength, unitName, unitSize);
    }

    /**
     * The progress line for {@code current} of {@code max} bytes, {@code start} of them there before
     * {@code elapsed} began, fitted into {@code maxLength} columns (the name is cut first).
     */
    static String line(String name, long start, long current, long max, Duration elapsed, int maxLength,
                       String unitName, long unitSize) {
        int percent = max <= 0 ? 100 : (int) Math.min(100, current * 100 / max);
        double seconds = elapsed.toNanos() / 1e9;
        long moved = current - start;
        // Before a tenth of a second the quotient is noise; from then on it is the real average.
        boolean known = seconds >= 0.1 && moved > 0;
        double rate = known ? moved / seconds : 0;
        String speed = known ? String.format("%.1f %s/s", rate / unitSize, unitName) : "-- " + unitName + "/s";
        String left = known ? clock((long) ((max - current) / rate)) + " left" : "--:-- left";
        String amounts = String.format("%.1f/%.1f %s", (double) current / unitSize, (double) max / unitSize, unitName);
        if (unitSize == 1) {
            amounts = current + "/" + max + " " + unitName;
        }
        String before = String.format(" %3d%% [", percent);
        String after = "] " + amounts + "  " + speed + "  " + left;
        int room = maxLength - before.length() - after.length();
        // The bar gets what the name does not need, at most 40 columns.
        int barWidth = Math.max(0, Math.min(40, room - Math.min(name.length(), 20)));
        String shownName = name;
        int nameRoom = room - barWidth;
        if (shownName.length() > nameRoom) {
            shownName = nameRoom <= 1 ? "" : shownName.substring(0, nameRoom - 1) + "~";
        }
        String line = shownName + before + bar(percent, barWidth) + after;
        return line.length() > maxLength ? line.substring(0, Math.max(0, maxLength)) : line;
    }

    private static String bar(int percent, int width) {
        int full = width * percent / 100;
        StringBuilder b = new StringBuilder(width);
        for (int i = 0; i < width; i++) {
            b.append(i < full ? '=' : i == full ? '>' : ' ');
        }
        return b.toString();
    }

    private static String clock(long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
