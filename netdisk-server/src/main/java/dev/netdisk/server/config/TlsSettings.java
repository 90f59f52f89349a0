package dev.netdisk.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server offers TLS ({@code AUTH TLS}, docs/PROTOCOL.md section 1a; docs/OPERATIONS.md
 * "Certificates").
 *
 * @param enabled          whether {@code AUTH TLS} is offered at all; off only for a server behind
 *                         a TLS tunnel of its own
 * @param certFile         a PEM certificate chain (leaf first, as Let's Encrypt's fullchain.pem),
 *                         or {@code null} for the self-signed certificate made in the data directory
 * @param keyFile          the PEM private key of {@code certFile}; given exactly when it is
 * @param loopbackExempt   whether connections from loopback addresses may {@code REGISTER},
 *                         {@code LOGIN} and {@code DATA} without TLS (so {@code nc localhost} works)
 * @param handshakeTimeout how long a connection may take from {@code 234} to a finished handshake
 */
public record TlsSettings(boolean enabled, Path certFile, Path keyFile, boolean loopbackExempt,
                          Duration handshakeTimeout) {

    /** TLS on, a self-signed certificate, loopback exempt, 10 seconds per handshake. */
    public static final TlsSettings DEFAULTS = new TlsSettings(true, null, null, true, Duration.ofSeconds(10));

    public TlsSettings {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the TLS handshake timeout must be positive: " + handshakeTimeout);
        }
    }

    /** Whether the certificate is the one the server makes itself. */
    public boolean selfSigned() {
        return certFile == null;
    }

    public TlsSettings withEnabled(boolean on) {
        return new TlsSettings(on, certFile, keyFile, loopbackExempt, handshakeTimeout);
    }

    public TlsSettings withFiles(Path cert, Path key) {
        return new TlsSettings(enabled, cert, key, loopbackExempt, handshakeTimeout);
    }

    public TlsSettings withLoopbackExempt(boolean exempt) {
        return new TlsSettings(enabled, certFile, keyFile, exempt, handshakeTimeout);
    }

    public TlsSettings withHandshakeTimeout(Duration timeout) {
        return new TlsSettings(enabled, certFile, keyFile, loopbackExempt, timeout);
    }
}
