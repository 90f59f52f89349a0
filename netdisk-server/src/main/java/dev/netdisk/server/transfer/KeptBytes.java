package dev.netdisk.server.transfer;

import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.PartialUploads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.sql.SQLException;

/**
 * What an upload keeps between its attempts ({@code docs/ARCHITECTURE.md}, "The life of an
 * upload"): its partial file and {@code partial_uploads} row, or nothing for a small file, which is
 * sent whole again. At the end of an attempt the bytes are kept for resume, discarded (a checksum
 * mismatch, a failed write), or handed to the commit with the file's channel.
 *
 * <p>Blocking (disk, JDBC): workers only.
 */
final class KeptBytes {

    private final BlobStore blobs;
    private final PartialUploads partials;
    private final PartialUploads.Partial partial;
    /** The open partial file; null when nothing is kept. */
    private final FileChannel file;

    private KeptBytes(BlobStore blobs, PartialUploads partials, PartialUploads.Partial partial, FileChannel file) {
        this.blobs = blobs;
        this.partials = partials;
        this.partial = partial;
        this.file = file;
    }

    /** A small file's upload: nothing is kept. */
    static KeptBytes none() {
        return new KeptBytes(null, null, null, null);
    }

    /** The partial file of {@code partial}, open as {@code file}. */
    static KeptBytes in(BlobStore blobs, PartialUploads partials, PartialUploads.Partial partial, FileChannel file) {
        return new KeptBytes(blobs, partials, partial, file);
    }

    /** Whether anything is kept: false for a small file, received in memory. */
    boolean kept() {
        return file != null;
    }

    /** The partial file, for the commit to sync and close; null when nothing is kept. */
    FileChannel channel() {
        return file;
    }

    /** What a reply that ends the upload early says about the bytes received. */
    String note() {
        return kept() ? "the bytes are kept for resume" : "nothing was kept (a small file is sent whole again)";
    }

    /** The bytes are no use to resume from: the file and its row go. */
    void discard() throws IOException, SQLException {
        if (kept()) {
            file.close();
            blobs.deletePartial(partial.blobId());
            partials.delete(partial.id());
        }
    }

    /** The bytes are kept for resume: the file is closed with what it has, its row touched (kept 24 h more). */
    void keep() throws IOException, SQLException {
        if (kept()) {
            file.close();
            partials.touch(partial.id());
        }
    }

    /** Closes the file and leaves it as it is (the server is stopping: it resumes after the restart). */
    void closeQuietly() {
        if (kept()) {
            try {
                file.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
