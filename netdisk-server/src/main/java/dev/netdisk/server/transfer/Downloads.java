package dev.netdisk.server.transfer;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.BlobSource;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.IntegrityException;
import dev.netdisk.server.crypt.PartReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Arrays;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a download's bytes come from ({@code docs/PROTOCOL.md} section 6): a small file's from the
 * database or read whole ({@link Body.Bytes}), a bigger one's from its open blob file
 * ({@link Body.FileRange}: a local file, or an S3 object read by ranged GETs; sent by a {@link FileSender}). A batch's downloads that one read
 * completed are looked up together on one pooled connection ({@link FileTree#contents}).
 *
 * <p>Blocking (JDBC, disk): workers only.
 */
final class Downloads {

    /** One batch download's answer: its reply, and the bytes that follow it (null for a refusal). */
    record Answer(DataItem item, Reply reply, Body body) {
    }

    private static final System.Logger LOG = System.getLogger(Downloads.class.getName());

    private Downloads() {
    }

    /**
     * The bytes of {@code node} from {@code offset} to its end: {@code inline} (its bytes kept in
     * the database, or null), or its blob file, opened now.
     *
     * @throws NoSuchFileException when the blob is gone (the file was replaced or deleted since it was looked up)
     */
    static Body body(TransferParts parts, Node node, byte[] inline, long offset) throws IOException {
        if (inline != null) {
            check(inline.length, node);
            return new Body.Bytes(inline, (int) offset);
        }
        Optional<DataKey> key;
        try {
            key = parts.tree().keys().find(node.blobId());
        } catch (SQLException e) {
            throw new IOException("cannot read the data key of blob " + node.blobId() + ": " + e.getMessage(), e);
        }
        BlobSource file = parts.blobs().open(node.blobId());
        try {
            PartReader plaintext = key.isPresent() ? new PartReader(file, key.get(), node.blobId(), node.size()) : null;
            if (InlineBlobs.fits(node.size())) {
                // A small file written before files were kept in the database (or encrypted since, in place).
                byte[] bytes = readAll(file, plaintext, node);
                check(bytes.length, node);
                file.close();
                return new Body.Bytes(bytes, (int) offset);
            }
            return new Body.FileRange(file, plaintext, offset, node.size(), parts.pools().forBytes(node.size() - offset));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The whole content of a small blob file, decrypted when {@code plaintext} is not null. */
    private static byte[] readAll(BlobSource file, PartReader plaintext, Node node) throws IOException {
        ByteBuffer all = ByteBuffer.allocate((int) (plaintext != null ? node.size() : file.size()));
        while (all.hasRemaining()) {
            int n = plaintext != null ? plaintext.read(all, all.position()) : file.read(all, all.position());
            if (n < 0) {
                break;
            }
        }
        return Arrays.copyOf(all.array(), all.position());
    }

    /** The one ERROR line of content that failed its integrity check: the file, the blob, why. */
    static void logBroken(Object path, String blobId, IOException e) {
        LOG.log(System.Logger.Level.ERROR, "stored content failed its integrity check: file " + path + " blob "
                + blobId + ": " + e.getMessage());
    }

    private static void check(int length, Node node) throws IOException {
        if (length != node.size()) {
            throw new IOException("stored content of blob " + node.blobId() + " has " + length + " bytes, not "
                    + node.size());
        }
    }

    /** The answers to a batch's {@code downloads} (items with a path and no refusal), in their order. */
    static List<Answer> read(TransferParts parts, long userId, List<DataItem> downloads) {
        List<Answer> answers = new ArrayList<>(downloads.size());
        List<RemotePath> paths = new ArrayList<>(downloads.size());
        for (DataItem item : downloads) {
            paths.add(item.path);
        }
        List<Optional<FileTree.Content>> found;
        try {
            found = parts.tree().contents(userId, paths);
        } catch (Exception e) {
            for (DataItem item : downloads) {
                answers.add(new Answer(item, ErrorReplies.toReply("DOWNLOAD", e), null));
            }
            return answers;
        }
        for (int i = 0; i < downloads.size(); i++) {
            answers.add(answer(parts, downloads.get(i), found.get(i)));
        }
        return answers;
    }

    private static Answer answer(TransferParts parts, DataItem item, Optional<FileTree.Content> content) {
        if (content.isEmpty()) {
            return new Answer(item, Reply.of(ReplyCode.FILE_UNAVAILABLE, "no such file: " + item.path), null);
        }
        Node node = content.get().node();
        if (node.directory()) {
            return new Answer(item, Reply.of(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + item.path), null);
        }
        if (item.offset > node.size()) {
            return new Answer(item, Reply.of(ReplyCode.ARGUMENT_ERROR, "offset " + item.offset
                    + " is beyond the end of the file (" + node.size() + " bytes): " + item.path), null);
        }
        try {
            if (content.get().broken() != null) {
                throw content.get().broken();
            }
            Body body = body(parts, node, content.get().inline(), item.offset);
            return new Answer(item, Reply.of(ReplyCode.FILE_STATUS_OK, "size=" + node.size() + " md5=" + node.md5()
                    + " mtime=" + node.mtimeMillis()
                    + (item.offset > 0 ? " offset=" + item.offset : "") + " sending " + item.path), body);
        } catch (NoSuchFileException e) {
            // Replaced or deleted between the lookup and the read.
            return new Answer(item, Reply.of(ReplyCode.FILE_BUSY, "file changed: request it again: " + item.path), null);
        } catch (IntegrityException e) {
            logBroken(item.path, node.blobId(), e);
            return new Answer(item, ErrorReplies.toReply("DOWNLOAD", e), null);
        } catch (IOException e) {
            return new Answer(item, ErrorReplies.toReply("DOWNLOAD", e), null);
        }
    }
}
