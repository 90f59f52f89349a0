package dev.netdisk.server.transfer;

import dev.netdisk.server.crypt.PartReader;
import dev.netdisk.server.store.BlobSource;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The bytes a download's answer is followed by ({@link DataSession}): a small file's bytes in
 * memory, written by the selector, or a range of a blob file, sent by a {@link FileSender} on a
 * pool thread.
 */
sealed interface Body {

    /** The bytes the answer is followed by. */
    long length();

    /** Lets go of the file, if any (any thread, once). */
    default void close() {
    }

    /** {@code bytes[from..]}: a small file kept in the database, or read whole from its blob. */
    record Bytes(byte[] bytes, int from) implements Body {
        @Override
        public long length() {
            return bytes.length - from;
        }
    }

    /**
     * Bytes {@code from} to {@code to - 1} of a file's content, sent on {@code pool}: of the stored
     * blob {@code file} itself (a local file: sendfile), or, when {@code plaintext} is not null, of
     * what it decrypts to.
     */
    record FileRange(BlobSource file, PartReader plaintext, long from, long to, Executor pool) implements Body {
        @Override
        public long length() {
            return to - from;
        }

        @Override
        public void close() {
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }
}
