package dev.netdisk.server.protocol;

/**
 * What a command produced: a {@link Reply}, or (for {@code DATA}) a transfer that takes over the
 * connection after its preliminary reply.
 */
public interface Outcome {
}
