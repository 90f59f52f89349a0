package dev.netdisk.server.crypt;

import java.io.IOException;

/**
 * Stored content, or a wrapped data key, failed its authentication: changed on disk, cut short, or
 * under a master key this server does not have. Never followed by the bytes concerned.
 * {@code ErrorReplies} answers it {@code 451 stored content failed its integrity check}.
 */
public final class IntegrityException extends IOException {

    private static final long serialVersionUID = 1L;

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }

    public IntegrityException(String message) {
        super(message);
    }
}
