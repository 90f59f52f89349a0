package dev.netdisk.server.store;

import java.io.IOException;

/**
 * The content store cannot be used now: unreachable, a missing bucket, refused credentials, or
 * throttling. Answered {@code 451} (a local error: try again later), never a hung connection; the
 * message says which store and why.
 */
public final class BlobStoreUnavailableException extends IOException {

    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
