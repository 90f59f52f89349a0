package dev.netdisk.cli.bench;

import java.util.List;
import java.util.Locale;

/**
 * Recognises a refusal caused by one of the server's protective limits (docs/PROTOCOL.md section
 * 10) and says which setting lifts it, so that a benchmark hitting a limit prints one clear line
 * instead of thousands of errors.
 */
final class LimitHint {

    private record Rule(String text, String fix) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("too many connections from your address", "set max-connections-per-ip = 0 in the server's config"),
            new Rule("too many connections", "set max-connections = 0 in the server's config"),
            new Rule("too many sessions", "set max-sessions-per-user = 0 in the server's config"),
            new Rule("too many registrations", "set registrations-per-ip-per-hour = 0 in the server's config"),
            new Rule("registration is closed", "set registration = open in the server's config"),
            new Rule("too many unused tickets", "set max-tickets-per-user = 0 in the server's config"),
            new Rule("too many transfers", "set max-transfers-per-user = 0 in the server's config"),
            new Rule("quota exceeded", "raise default-quota-mib in the server's config"),
            new Rule("too many failed logins", "wait, or raise login-failures-before-lock in the server's config"),
            new Rule("rate limit exceeded", "lower --rate, or set chat-per-second = 0 in the server's config (default: 10 chat messages/s per user, burst 20)"),
            new Rule("too many open files", "raise the open-file limit (ulimit -n) of the bench and of the server"));

    private LimitHint() {
    }

    /** The fix for a refusal caused by a limit, or {@code null} if {@code message} is something else. */
    static String fixFor(String message) {
        if (message == null) {
            return null;
        }
        String m = message.toLowerCase(Locale.ROOT);
        for (Rule r : RULES) {
            if (m.contains(r.text)) {
                return r.fix;
            }
        }
        return null;
    }
}
