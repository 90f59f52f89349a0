package dev.netdisk.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 19, point 6: times with their offset, and events on a line of their own above a progress bar. */
class TimesAndEventsTest {

    private static final Instant T = Instant.parse("2026-11-21T13:50:00.123Z");

    @Test
    void timesCarryTheirOffset() {
        assertThat(Times.in(ZoneId.of("Europe/Berlin")).dateTime(T)).isEqualTo("2026-11-21 14:50:00 +01:00");
        assertThat(Times.in(ZoneId.of("America/New_York")).time(T)).isEqualTo("08:50:00 -05:00");
        assertThat(Times.of(true).dateTime(T)).isEqualTo("2026-11-21 13:50:00 +00:00");
    }

    @Test
    void anEventGoesAboveARunningProgressBarNeverIntoIt() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        Env env = new Env(Map.of(), new ByteArrayInputStream(new byte[0]), progress, false, true, 80, Path.of("."),
                p -> null);
        Console console = new Console(env, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> aboveThePrompt = new ArrayList<>();

        console.printEvent("[14:50:00 +01:00] bob: idle", aboveThePrompt::add);
        assertThat(aboveThePrompt).containsExactly("[14:50:00 +01:00] bob: idle");

        console.progressShown();
        progress.print("\rbig.bin 42% [=====>     ] 142.0MiB/s");
        console.printEvent("[14:50:01 +01:00] bob: during", aboveThePrompt::add);
        assertThat(aboveThePrompt).hasSize(1);
        // The bar's line is erased, the event ends its own line, and the bar redraws below it.
        assertThat(terminal.toString(StandardCharsets.UTF_8))
                .endsWith("142.0MiB/s\r\033[2K[14:50:01 +01:00] bob: during\n");
        console.progressGone();
        console.printEvent("after", aboveThePrompt::add);
        assertThat(aboveThePrompt).containsExactly("[14:50:00 +01:00] bob: idle", "after");
    }
}
