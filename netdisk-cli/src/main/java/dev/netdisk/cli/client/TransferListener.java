package dev.netdisk.cli.client;

/**
 * Follows one upload or download. Called on the thread that runs the transfer.
 * All positions are byte offsets within the whole file.
 */
public interface TransferListener {

    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {
    };

    /**
     * The local file is being hashed before an upload to a server that wants the MD5 up front
     * (current servers take it after the bytes, and this is not called). Called with the number of
     * bytes hashed so far, up to {@code total}.
     */
    default void hashing(long hashed, long total) {
    }

    /**
     * The server agreed to the transfer.
     *
     * @param remotePath the absolute remote path
     * @param offset     where the bytes start: {@code 0}, or the resume position
     * @param size       the size of the whole file in bytes
     */
    default void started(String remotePath, long offset, long size) {
    }

    /** A line for the user about this transfer (why it starts over, for instance). */
    default void notice(String line) {
    }

    /** Bytes moved: {@code position} is how far into the file the transfer has come. */
    default void progress(long position) {
    }
}
