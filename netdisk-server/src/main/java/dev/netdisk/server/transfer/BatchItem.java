package dev.netdisk.server.transfer;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;

/**
 * One item of a batch ({@link BatchTransfer}), from its line until its answer is written: an
 * {@code UPLOAD} with the bytes that follow it, or a {@code DOWNLOAD}. Its fields are the selector
 * thread's, except that the worker checking it reads what the line gave and an upload's bytes.
 */
final class BatchItem implements BatchLines.Parsed {

    final boolean download;
    /** The path, absolute; null when the line's path was refused. */
    final RemotePath path;
    /** An upload's declared size in bytes; -1 for a download. */
    final long size;
    /** An upload's MD5, lower case; null for a download or a refused upload. */
    final String md5;
    final boolean overwrite;
    /**
     * An upload's bytes, filled as they arrive (null for a refused one, whose bytes are dropped); a
     * download's bytes once read (null until then, and for a refused one).
     */
    byte[] content;
    /** An upload's bytes arrived so far. */
    long received;
    /** The answer, once known; a refusal from the line itself is known at once. */
    Reply reply;

    private BatchItem(boolean download, RemotePath path, long size, String md5, boolean overwrite, Reply refusal) {
        this.download = download;
        this.path = path;
        this.size = size;
        this.md5 = md5;
        this.overwrite = overwrite;
        this.reply = refusal;
    }

    /** An upload of {@code size} bytes; with a {@code refusal} its bytes are read and dropped. */
    static BatchItem upload(RemotePath path, long size, String md5, boolean overwrite, Reply refusal) {
        BatchItem item = new BatchItem(false, path, size, md5, overwrite, refusal);
        item.content = refusal == null ? new byte[(int) size] : null;
        return item;
    }

    static BatchItem download(RemotePath path, Reply refusal) {
        return new BatchItem(true, path, -1, null, false, refusal);
    }
}
