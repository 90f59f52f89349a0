package dev.netdisk.cli.client;

/**
 * How an upload or download behaves.
 *
 * @param overwrite    replace an existing target (server file for an upload, local file for a download)
 * @param resume       continue an interrupted transfer (the default); {@code false} starts over
 * @param cancellation a handle to stop the transfer from another thread, or {@code null}
 * @param stamps       where an upload records the local file's size and time, so that a resume
 *                     notices a changed file and starts over; {@code null}: not recorded (a changed
 *                     file is then found only by the final MD5 check, {@code 554})
 */
public record TransferOptions(boolean overwrite, boolean resume, Cancellation cancellation, UploadStamps stamps) {

    /** No overwrite, resume, no cancellation handle, no stamps. */
    public static final TransferOptions DEFAULTS = new TransferOptions(false, true, null, null);

    public TransferOptions(boolean overwrite, boolean resume, Cancellation cancellation) {
        this(overwrite, resume, cancellation, null);
    }

    public TransferOptions withOverwrite(boolean newOverwrite) {
        return new TransferOptions(newOverwrite, resume, cancellation, stamps);
    }

    public TransferOptions withResume(boolean newResume) {
        return new TransferOptions(overwrite, newResume, cancellation, stamps);
    }

    public TransferOptions withCancellation(Cancellation newCancellation) {
        return new TransferOptions(overwrite, resume, newCancellation, stamps);
    }

    public TransferOptions withStamps(UploadStamps newStamps) {
        return new TransferOptions(overwrite, resume, cancellation, newStamps);
    }
}
