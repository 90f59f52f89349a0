package dev.netdisk.cli;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Which standard streams are terminals, asked from JLine's native providers (they call
 * {@code isatty}); {@link System#console()} alone cannot tell stdin from stderr.
 *
 * @param stdin       standard input is a terminal
 * @param stderr      standard error is a terminal
 * @param stderrWidth the width of that terminal in columns (80 if unknown)
 */
record Tty(boolean stdin, boolean stderr, int stderrWidth) {

    static Tty detect() {
        for (String name : new String[] {"jni", "ffm", "exec"}) {
            try {
                TerminalProvider p = TerminalProvider.load(name);
                boolean in = p.isSystemStream(SystemStream.Input);
                boolean err = p.isSystemStream(SystemStream.Error);
                int width = 80;
                if (err) {
                    int w = p.systemStreamWidth(SystemStream.Error);
                    width = w > 0 ? w : 80;
                }
                return new Tty(in, err, width);
            } catch (Throwable e) {
                // try the next provider: natives may be missing or forbidden on this platform
            }
        }
        boolean console = System.console() != null;
        return new Tty(console, console, 80);
    }
}
