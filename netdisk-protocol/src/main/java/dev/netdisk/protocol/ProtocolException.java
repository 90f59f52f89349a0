package dev.netdisk.protocol;

import java.io.IOException;

/**
 * The peer sent text that breaks {@code docs/PROTOCOL.md}: a line that is not a reply, a reply
 * without a parameter it must carry, arguments with unbalanced quotes or an unknown escape.
 */
public class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
