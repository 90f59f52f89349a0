package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Outcome;

/**
 * The outcome of {@code AUTH TLS}: the connection answers {@code 234}, and once that reply is
 * written it reads nothing more in clear and runs the TLS handshake (RFC 4217).
 */
public enum StartTls implements Outcome {
    INSTANCE
}
