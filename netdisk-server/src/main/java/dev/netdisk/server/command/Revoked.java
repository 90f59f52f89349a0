package dev.netdisk.server.command;

/** The tail of a reply to a command that revoked tickets: how many, when any. */
final class Revoked {

    private Revoked() {
    }

    /** {@code "; N ticket(s) revoked"}, or nothing when {@code n} is 0 (the reply stays as before). */
    static String tickets(int n) {
        return n == 0 ? "" : "; " + n + " ticket(s) revoked";
    }
}
