package dev.netdisk.server.transfer;

import dev.netdisk.server.store.BlobUpload;
import dev.netdisk.server.store.PartialUploads;
import java.io.IOException;
import java.sql.SQLException;

/**
 * What an upload keeps between its attempts ({@code docs/ARCHITECTURE.md}, "The life of an
 * upload"): its stored parts ({@link BlobUpload}) and {@code partial_uploads} row, or nothing for a
 * small file, which is sent whole again. At the end of an attempt the bytes are kept for resume,
 * discarded (a checksum mismatch, a failed write), or handed to the commit.
 *
 * <p>Blocking (disk or network, JDBC): workers only.
 */
final class KeptBytes {

    private final PartialUploads partials;
    private final PartialUploads.Partial partial;
    /** The upload's stored bytes; null when nothing is kept. */
    private final BlobUpload upload;

    private KeptBytes(PartialUploads partials, PartialUploads.Partial partial, BlobUpload upload) {
        this.partials = partials;
        this.partial = partial;
        this.upload = upload;
    }

    /** A small file's upload: nothing is kept. */
    static KeptBytes none() {
        return new KeptBytes(null, null, null);
    }

    /** The stored bytes of {@code partial}, open as {@code upload}. */
    static KeptBytes in(PartialUploads partials, PartialUploads.Partial partial, BlobUpload upload) {
        return new KeptBytes(partials, partial, upload);
    }

    /** Whether anything is kept: false for a small file, received in memory. */
    boolean kept() {
        return upload != null;
    }

    /** The stored bytes, for the commit to place and make durable; null when nothing is kept. */
    BlobUpload upload() {
        return upload;
    }

    /** What a reply that ends the upload early says about the bytes received. */
    String note() {
        return kept() ? "the bytes are kept for resume" : "nothing was kept (a small file is sent whole again)";
    }

    /** The bytes are no use to resume from: they and their row go. */
    void discard() throws IOException, SQLException {
        if (kept()) {
            upload.discard();
            partials.delete(partial.id());
        }
    }

    /** The bytes are kept for resume: closed with what they have, the row touched (kept 24 h more). */
    void keep() throws IOException, SQLException {
        if (kept()) {
            upload.keep();
            partials.touch(partial.id());
        }
    }

    /** Closes and leaves the bytes as they are (the server is stopping: they resume after the restart). */
    void closeQuietly() {
        if (kept()) {
            upload.closeQuietly();
        }
    }
}
