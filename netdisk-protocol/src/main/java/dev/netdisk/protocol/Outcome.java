package dev.netdisk.protocol;

/**
 * What answers one command line on the server: a {@link Reply}, or one of the server's own kinds
 * that produce replies later (a reply that waits for a commit, a transfer that takes over the
 * connection after its preliminary reply). A marker: this module knows only {@link Reply}; it lives
 * here so that {@code Reply} can be one.
 */
public interface Outcome {
}
