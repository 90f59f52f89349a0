package dev.netdisk.cli.client;

/**
 * How an upload or download behaves.
 *
 * @param overwrite    replace an existing target (server file for an upload, local file for a download)
 * @param resume       continue an interrupted transfer (the default); {@code false} starts over
 * @param cancellation a handle to stop the transfer from another thread, or {@code null}
 */
public record TransferOptions(boolean overwrite, boolean resume, Cancellation cancellation) {

    /** No overwrite, resume, no cancellation handle. */
    public static final TransferOptions DEFAULTS = new TransferOptions(false, true, null);

    public TransferOptions withOverwrite(boolean newOverwrite) {
        return new TransferOptions(newOverwrite, resume, cancellation);
    }

    public TransferOptions withResume(boolean newResume) {
        return new TransferOptions(overwrite, newResume, cancellation);
    }

    public TransferOptions withCancellation(Cancellation newCancellation) {
        return new TransferOptions(overwrite, resume, newCancellation);
    }
}
