package dev.netdisk.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress line on a (captured) terminal: it leaves room for an echoed ^C and is erased when cancelled. */
class ProgressListenerTest {

    private static final long MIB = 1 << 20;

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final Console console = new Console(new Env(Map.of(), new ByteArrayInputStream(new byte[0]),
            new PrintStream(terminal, true, StandardCharsets.UTF_8), false, true, 80, Path.of("."), p -> null),
            false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

    private String drawn() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFinishedBarStaysOnItsLineWithinTheWidthLessThree() {
        console.transferOptions(false);
        try (ProgressListener p = console.progress("upload", "big.bin")) {
            p.started("/big.bin", 0, 100 * MIB);
            p.progress(100 * MIB);
        }
        String out = drawn();
        assertThat(out).endsWith("\n").contains("big.bin").contains("100%").doesNotContain("?");
        for (String line : out.split("[\r\n]")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(77);
        }
    }

    @Test
    void aCancelledBarIsErasedSoTheCancelledLineStandsAlone() {
        console.transferOptions(false);
        try (ProgressListener p = console.progress("upload", "big.bin")) {
            p.started("/big.bin", 0, 100 * MIB);
            p.progress(10 * MIB);
            console.cancelTransfer();  // Ctrl-C
        }
        assertThat(drawn()).endsWith("\r\033[2K");
    }
}
