package dev.netdisk.cli.session;

import dev.netdisk.protocol.ReplyException;

/**
 * Why the server refused a login, read from the {@code reason=} word of its {@code 530} reply
 * ({@code docs/PROTOCOL.md} section 4). Only {@link #REVOKED} means a saved token is dead: the
 * others leave it valid, so a saved session is removed on that reply and on no other.
 */
public enum LoginRefusal {
    /** The token is unknown, expired or revoked: forget it. */
    REVOKED,
    /** Too many failed logins from this address (or for this name): refused for a while. */
    LOCKED,
    /** The administrator disabled the account (said only after the right password). */
    DISABLED,
    /** Any other refusal (a wrong password, too many sessions, not a 530 at all). */
    OTHER;

    /** The reason of {@code e}'s reply; {@link #OTHER} for anything that is not a login refusal. */
    public static LoginRefusal of(ReplyException e) {
        if (e.code() != 530) {
            return OTHER;
        }
        String text = e.text();
        if (text.startsWith("reason=revoked ")
                // a server from before the reason= words said only this for a dead token
                || text.equals("token expired or revoked")) {
            return REVOKED;
        }
        if (text.startsWith("reason=locked ")) {
            return LOCKED;
        }
        if (text.startsWith("reason=disabled ")) {
            return DISABLED;
        }
        return OTHER;
    }
}
