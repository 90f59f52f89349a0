package dev.netdisk.cli.client;

import java.io.IOException;

/**
 * The connection to the server could not be opened, was closed, or broke the protocol.
 * No reply code applies; the cause, when there is one, is the underlying socket exception.
 */
public class NetdiskConnectionException extends IOException {
    private static final long serialVersionUID = 1L;

    public NetdiskConnectionException(String message) {
        super(message);
    }

    public NetdiskConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
