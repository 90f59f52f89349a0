package dev.netdisk.cli.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (neitherIsATerminal()) {
            // Scripts and pipelines: no need to load JLine's native library, a noticeable part of a start.
            return new Tty(false, false, 80);
        }
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

    /**
     * Whether standard input and standard error are both surely not terminals, read from where
     * {@code /proc/self/fd/0} and {@code 2} lead (Linux): a pipe, a socket, a regular file or
     * {@code /dev/null}. False when that cannot be told (no {@code /proc}, another system, a device
     * that might be a terminal): JLine then asks {@code isatty}.
     */
    static boolean neitherIsATerminal() {
        return !mayBeTerminal(0) && !mayBeTerminal(2);
    }

    private static boolean mayBeTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/") && !target.equals("/dev/null");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }
}
