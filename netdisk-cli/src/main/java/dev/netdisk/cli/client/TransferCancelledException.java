package dev.netdisk.cli.client;

import java.io.InterruptedIOException;

/**
 * A transfer was stopped through its {@link Cancellation}. The bytes already moved are kept
 * (on the server for an upload, in the {@code .part} file for a download), so running the same
 * transfer again resumes.
 */
public class TransferCancelledException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    public TransferCancelledException(String message) {
        super(message);
    }
}
