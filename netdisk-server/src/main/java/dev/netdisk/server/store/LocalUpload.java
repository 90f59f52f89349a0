package dev.netdisk.server.store;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.PartialFileWriter;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartReader;
import dev.netdisk.server.crypt.PartWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;

/**
 * An upload into {@link LocalBlobStore}'s partial file {@code partial/<blob id>}: encrypted parts
 * appended through a {@link PartialFileWriter} (direct I/O for a big upload, aligned buffers), cut
 * after its last whole part on resume, renamed into {@code blobs/} by the group commit.
 *
 * <p>Threads: as {@link BlobUpload}.
 */
final class LocalUpload implements BlobUpload {

    private final LocalBlobStore store;
    private final String blobId;
    private final FileChannel file;
    private final PartialFileWriter writer;
    private final PartWriter encrypter;
    private final MessageDigest md5;

    private LocalUpload(LocalBlobStore store, String blobId, FileChannel file, PartialFileWriter writer,
                        PartWriter encrypter, MessageDigest md5) {
        this.store = store;
        this.blobId = blobId;
        this.file = file;
        this.writer = writer;
        this.encrypter = encrypter;
        this.md5 = md5;
    }

    /**
     * Opens (or creates) the partial file, cuts it after the kept parts, and hashes their plaintext
     * (decrypted and checked) so the MD5 covers the whole file. Blocking: a worker.
     */
    static LocalUpload open(LocalBlobStore store, String blobId, DataKey key, long offset, long size)
            throws IOException {
        Path path = store.partialPath(blobId);
        FileChannel file = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes());
        try {
            long keptCiphertext = DataKey.ciphertextSize(offset);
            if (file.size() < keptCiphertext) {
                throw new IOException("kept bytes shrank below offset " + offset);
            }
            file.truncate(keptCiphertext);
            MessageDigest md5 = Md5.newDigest();
            if (offset > 0) {
                // Only a resumed upload has kept bytes to hash: a new one allocates nothing here.
                PartReader kept = new PartReader(file, key, blobId, offset);
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ProtocolLimits.CHUNK_BYTES, offset));
                long position = 0;
                while (position < offset) {
                    buf.clear();
                    int n = kept.read(buf, position);
                    if (n < 0) {
                        throw new IOException("kept bytes end early at " + position);
                    }
                    buf.flip();
                    md5.update(buf);
                    position += n;
                }
            }
            PartialFileWriter writer = PartialFileWriter.open(path, file, keptCiphertext,
                    DataKey.ciphertextSize(size) - keptCiphertext, PartialFileWriter.DIRECT_MIN_BYTES);
            PartWriter encrypter = new PartWriter(key, blobId, PartWriter.Out.of(writer), offset, size, store.writes());
            return new LocalUpload(store, blobId, file, writer, encrypter, md5);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public MessageDigest digest() {
        return md5;
    }

    @Override
    public ByteBuffer allocate(int capacity) {
        return writer.allocate(capacity);
    }

    @Override
    public void append(ByteBuffer plaintext) throws IOException {
        encrypter.append(plaintext);
    }

    @Override
    public void flush() throws IOException {
        encrypter.flush();
    }

    @Override
    public void keep() throws IOException {
        file.close();
    }

    @Override
    public void discard() throws IOException {
        file.close();
        store.deletePartial(blobId);
    }

    @Override
    public void closeQuietly() {
        try {
            file.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void release() {
        writer.close();
    }

    @Override
    public Path place() throws IOException {
        return store.moveIntoPlace(blobId);
    }

    @Override
    public void force() throws IOException {
        try {
            file.force(true);
        } finally {
            file.close();
        }
    }
}
