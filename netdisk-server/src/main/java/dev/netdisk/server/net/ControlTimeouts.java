package dev.netdisk.server.net;

import dev.netdisk.server.config.Limits;

/**
 * Which timeout of a control connection has run out, if any (docs/PROTOCOL.md section 10): a line
 * begun and not finished, no login yet, or an idle session, checked in that order. Pure.
 */
final class ControlTimeouts {

    private ControlTimeouts() {
    }

    /**
     * @param silentNanos     how long nothing arrived, in nanoseconds
     * @param lineOpenNanos   how long the unfinished line has been open, in nanoseconds; 0 for none
     * @param loggedIn        whether the session has logged in
     * @return the reason for the {@code 421} that closes the connection, or null while none ran out
     */
    static String expired(long silentNanos, long lineOpenNanos, boolean loggedIn, Limits limits) {
        if (lineOpenNanos != 0 && lineOpenNanos > limits.lineTimeout().toNanos()) {
            return "line not finished within " + limits.lineTimeout().toSeconds() + " seconds";
        }
        if (!loggedIn && silentNanos > limits.loginTimeout().toNanos()) {
            return "no login within " + limits.loginTimeout().toSeconds() + " seconds";
        }
        if (silentNanos > limits.idleTimeout().toNanos()) {
            return "idle for " + limits.idleTimeout().toSeconds() + " seconds";
        }
        return null;
    }
}
