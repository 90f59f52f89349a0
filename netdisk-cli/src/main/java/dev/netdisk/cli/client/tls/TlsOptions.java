package dev.netdisk.cli.client.tls;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How the client secures its connections (docs/SECURITY.md, "What the client checks").
 *
 * @param enabled     whether to start TLS ({@code AUTH TLS}); false only with {@code --no-tls},
 *                    and the password then crosses the network in clear
 * @param caFile      PEM certificates of extra authorities to trust by name ({@code --ca-file}), or null
 * @param fingerprint the one certificate to accept ({@code --fingerprint SHA256:...}), or null
 * @param knownHosts  the trust-on-first-use file ({@code ~/.config/netdisk/known_hosts})
 * @param confirm     asks whether to trust a new certificate (a terminal's yes/no), or null to
 *                    trust it on first use with a notice, as a script must
 * @param notices     where warnings and first-use notices go (standard error)
 */
public record TlsOptions(boolean enabled, Path caFile, String fingerprint, Path knownHosts, Confirm confirm,
                         Consumer<String> notices) {

    /** A yes/no question to the person at the terminal. */
    @FunctionalInterface
    public interface Confirm {
        boolean ask(String question);
    }

    /** TLS on, the system's authorities, known hosts in the default config directory, notices on stderr. */
    public static TlsOptions defaults() {
        return new TlsOptions(true, null, null, defaultConfigDir().resolve("known_hosts"), null,
                line -> System.err.println(line));
    }

    /** The config directory as the CLI resolves it: $NETDISK_CONFIG_DIR, $XDG_CONFIG_HOME/netdisk, ~/.config/netdisk. */
    static Path defaultConfigDir() {
        String dir = System.getenv("NETDISK_CONFIG_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "netdisk");
        }
        String home = System.getenv("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"), ".config", "netdisk");
    }

    public TlsOptions withEnabled(boolean on) {
        return new TlsOptions(on, caFile, fingerprint, knownHosts, confirm, notices);
    }

    public TlsOptions withCaFile(Path file) {
        return new TlsOptions(enabled, file, fingerprint, knownHosts, confirm, notices);
    }

    public TlsOptions withFingerprint(String pinned) {
        return new TlsOptions(enabled, caFile, pinned, knownHosts, confirm, notices);
    }

    public TlsOptions withKnownHosts(Path file) {
        return new TlsOptions(enabled, caFile, fingerprint, file, confirm, notices);
    }

    public TlsOptions withConfirm(Confirm ask) {
        return new TlsOptions(enabled, caFile, fingerprint, knownHosts, ask, notices);
    }

    public TlsOptions withNotices(Consumer<String> sink) {
        return new TlsOptions(enabled, caFile, fingerprint, knownHosts, confirm, sink);
    }
}
