package dev.netdisk.cli.session;

import java.io.PrintWriter;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * Ctrl-C in a one-shot command ({@code netdisk upload big.iso}): the JVM's own handler would exit
 * with 130 and not a word, leaving the progress line half drawn. Instead a running transfer is
 * cancelled, so the command ends the normal way with its one line
 * {@code ... cancelled; run again to resume} and exit code 130, the partial bytes kept for the
 * resume; when nothing cancellable runs (a reply awaited, standard input being spooled), the
 * progress line is erased, that one line printed and the process exits 130 (shutdown hooks run,
 * so temporary files marked delete-on-exit go).
 *
 * <p>The shell has its own handler (JLine's, in {@code Shell}); this one is for the real process
 * only, never for in-process tests.
 */
public final class Interrupts {

    private Interrupts() {
    }

    /**
     * Installs the handler for SIGINT; later Ctrl-Cs reach the same handler.
     *
     * @param console the run's console once it exists, else {@code null} (read when Ctrl-C comes)
     */
    public static void install(Supplier<Console> console, PrintWriter err) {
        try {
            Signal.handle(new Signal("INT"), signal -> {
                Console c = console.get();
                if (c != null && c.cancelTransfer()) {
                    return;
                }
                if (c != null) {
                    c.eraseProgressLine();
                }
                err.println("netdisk: cancelled; run again to resume");
                err.flush();
                System.exit(130);
            });
        } catch (IllegalArgumentException e) {
            // No SIGINT on this platform (or the JVM reserves it): keep the default behaviour.
        }
    }
}
