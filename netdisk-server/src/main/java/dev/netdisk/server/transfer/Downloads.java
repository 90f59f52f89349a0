package dev.netdisk.server.transfer;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Node;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a download's bytes come from ({@code docs/PROTOCOL.md} section 6): a small file's from the
 * database or read whole ({@link Body.Bytes}), a bigger one's from its open blob file
 * ({@link Body.FileRange}, sent by a {@link FileSender}). A batch's downloads that one read
 * completed are looked up together on one pooled connection ({@link FileTree#contents}).
 *
 * <p>Blocking (JDBC, disk): workers only.
 */
final class Downloads {

    /** One batch download's answer: its reply, and the bytes that follow it (null for a refusal). */
    record Answer(DataItem item, Reply reply, Body body) {
    }

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
        Path blob = parts.blobs().blobPath(node.blobId());
        if (InlineBlobs.fits(node.size())) {
            byte[] bytes = Files.readAllBytes(blob); // a small file written before files were kept in the database
            check(bytes.length, node);
            return new Body.Bytes(bytes, (int) offset);
        }
        FileChannel file = FileChannel.open(blob, StandardOpenOption.READ);
        return new Body.FileRange(file, offset, node.size(), parts.pools().forBytes(node.size() - offset));
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
            Body body = body(parts, node, content.get().inline(), item.offset);
            return new Answer(item, Reply.of(ReplyCode.FILE_STATUS_OK, "size=" + node.size() + " md5=" + node.md5()
                    + " mtime=" + node.mtimeMillis()
                    + (item.offset > 0 ? " offset=" + item.offset : "") + " sending " + item.path), body);
        } catch (NoSuchFileException e) {
            // Replaced or deleted between the lookup and the read.
            return new Answer(item, Reply.of(ReplyCode.FILE_BUSY, "file changed: request it again: " + item.path), null);
        } catch (IOException e) {
            return new Answer(item, ErrorReplies.toReply("DOWNLOAD", e), null);
        }
    }
}
