package dev.netdisk.server.crypt;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Encrypts and decrypts {@link #WARMUP_BYTES} of zeros in 4 KiB segments once per JVM, on a
 * background thread at the lowest priority, so that the JIT compiles the AES-GCM path with its
 * CPU intrinsics before the first upload. The content format uses 1 MiB segments: one call each,
 * too few calls for the JIT's thresholds, and the first GiB a fresh server stored cost 13.8 CPU
 * seconds instead of 0.3; after this warm-up (0.35 CPU seconds) it costs 0.3
 * (docs/PERFORMANCE.md, issue 18, "A fresh server's first GiB").
 */
public final class JitWarmup {

    private static final System.Logger LOG = System.getLogger(JitWarmup.class.getName());

    /** Plaintext put through each direction, in bytes. */
    static final int WARMUP_BYTES = 16 << 20;
    private static final int SEGMENT_BYTES = 4096;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private JitWarmup() {
    }

    /** Starts the warm-up unless this JVM has started it already; returns at once. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(JitWarmup::run, "netdisk-crypto-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The warm-up itself, on the calling thread; a failure is logged (it only costs speed). */
    static void run() {
        try {
            AesGcmHkdfStreaming aead = new AesGcmHkdfStreaming(new byte[32], "HmacSha256", 32, SEGMENT_BYTES, 0);
            byte[] aad = {0};
            ByteArrayOutputStream ciphertext = new ByteArrayOutputStream(WARMUP_BYTES + WARMUP_BYTES / 64);
            ByteBuffer chunk = ByteBuffer.allocate(SEGMENT_BYTES);
            try (WritableByteChannel out = aead.newEncryptingChannel(Channels.newChannel(ciphertext), aad)) {
                for (int done = 0; done < WARMUP_BYTES; done += SEGMENT_BYTES) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
            }
            try (ReadableByteChannel in = aead.newDecryptingChannel(
                    Channels.newChannel(new ByteArrayInputStream(ciphertext.toByteArray())), aad)) {
                chunk.clear();
                while (in.read(chunk) >= 0) {
                    chunk.clear();
                }
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "crypto warm-up failed: " + e);
        }
    }
}
