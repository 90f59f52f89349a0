package dev.netdisk.server.transfer;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The downloads of a batch ({@link BatchTransfer}) that one read completed: looked up together on
 * one pooled connection ({@link FileTree#contents}), their bytes read from the database (or a small
 * blob file), each answered {@code 150 size=S md5=M sending /path} with its bytes, or refused
 * ({@code docs/PROTOCOL.md} section 6).
 *
 * <p>Blocking (JDBC, disk): workers only.
 */
final class BatchDownloads {

    /** One download's answer: its reply, and the bytes sent after it (null for a refusal). */
    record Answer(BatchItem item, Reply reply, byte[] body) {
    }

    private BatchDownloads() {
    }

    /** The answers to {@code downloads} (items with a path and no refusal), in their order. */
    static List<Answer> read(FileTree tree, BlobStore blobs, long userId, List<BatchItem> downloads) {
        List<Answer> answers = new ArrayList<>(downloads.size());
        List<RemotePath> paths = new ArrayList<>(downloads.size());
        for (BatchItem item : downloads) {
            paths.add(item.path);
        }
        List<Optional<FileTree.Content>> found;
        try {
            found = tree.contents(userId, paths);
        } catch (Exception e) {
            for (BatchItem item : downloads) {
                answers.add(new Answer(item, ErrorReplies.toReply("DOWNLOAD", e), null));
            }
            return answers;
        }
        for (int i = 0; i < downloads.size(); i++) {
            answers.add(answer(blobs, downloads.get(i), found.get(i)));
        }
        return answers;
    }

    private static Answer answer(BlobStore blobs, BatchItem item, Optional<FileTree.Content> content) {
        if (content.isEmpty()) {
            return new Answer(item, Reply.of(ReplyCode.FILE_UNAVAILABLE, "no such file: " + item.path), null);
        }
        Node node = content.get().node();
        if (node.directory()) {
            return new Answer(item, Reply.of(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + item.path), null);
        }
        if (node.size() > ProtocolLimits.SMALL_FILE_BYTES) {
            return new Answer(item, Reply.of(ReplyCode.ARGUMENT_ERROR, "a batch sends files of at most "
                    + ProtocolLimits.SMALL_FILE_BYTES + " bytes; get this one with DOWNLOAD on the control connection: "
                    + item.path), null);
        }
        try {
            byte[] bytes = content.get().inline();
            if (bytes == null) {
                bytes = Files.readAllBytes(blobs.blobPath(node.blobId()));
            }
            if (bytes.length != node.size()) {
                throw new IOException("stored content of " + item.path + " has " + bytes.length
                        + " bytes, not " + node.size());
            }
            return new Answer(item, Reply.of(ReplyCode.FILE_STATUS_OK, "size=" + node.size() + " md5=" + node.md5()
                    + " sending " + item.path), bytes);
        } catch (NoSuchFileException e) {
            // Replaced or deleted between the lookup and the read.
            return new Answer(item, Reply.of(ReplyCode.FILE_BUSY, "file changed: request it again: " + item.path), null);
        } catch (IOException e) {
            return new Answer(item, ErrorReplies.toReply("DOWNLOAD", e), null);
        }
    }
}
