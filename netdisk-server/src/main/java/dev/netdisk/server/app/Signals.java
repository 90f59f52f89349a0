package dev.netdisk.server.app;

/**
 * The signals a foreground server answers: {@code SIGHUP} reloads the TLS certificate, {@code SIGTERM}
 * and {@code SIGINT} (Ctrl-C) ask for a graceful stop. Where a signal cannot be handled (another
 * platform), {@code netdisk-server reload} and the shutdown hook still work.
 */
final class Signals {

    private Signals() {
    }

    /** Installs the handlers; each runs on the JVM's signal thread. */
    static void install(Runnable reload, Runnable stop) {
        handle("HUP", reload);
        handle("TERM", stop);
        handle("INT", stop);
    }

    private static void handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
        } catch (IllegalArgumentException unsupported) {
            // not on this platform
        }
    }
}
