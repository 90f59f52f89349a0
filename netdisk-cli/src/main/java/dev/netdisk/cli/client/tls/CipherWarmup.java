package dev.netdisk.cli.client.tls;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Puts {@link #WARMUP_BYTES} through the JDK's AES-GCM in 4 KiB pieces, each way, on a second
 * thread, once per JVM, when a large transfer over TLS begins.
 *
 * <p>Why: TLS seals each record (up to 16 KiB) with AES-GCM, whose CPU intrinsics run only from
 * C2-compiled code, and a one-shot command's JVM starts with none of it compiled: a transfer's
 * first hundreds of MiB went through the Java versions of GHASH and AES counter mode. Small pieces
 * reach the JIT's invocation thresholds after far fewer bytes than 16 KiB records, so the JIT
 * compiles the code they share sooner, while the transfer's first records go out. Measurements:
 * docs/PERFORMANCE.md, "The one-shot TLS transfer's first second".
 */
public final class CipherWarmup {

    /** Bytes put through each direction. */
    static final int WARMUP_BYTES = 16 << 20;
    /** Transfers at least this long, in bytes, start the warm-up; smaller ones would not gain. */
    public static final long MIN_TRANSFER_BYTES = 16L << 20;
    private static final int PIECE_BYTES = 4096;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private CipherWarmup() {
    }

    /** Starts the warm-up for a transfer of {@code bytes} over {@code tls}, unless pointless or done already. */
    public static void beforeTransfer(ClientTls tls, long bytes) {
        if (!worthIt(tls, bytes) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(CipherWarmup::run, "netdisk-cipher-warmup");
        thread.setDaemon(true);  // never holds the JVM open
        thread.start();
    }

    /** Whether a transfer of {@code bytes} over {@code tls} gains from the warm-up: TLS, and at least 16 MiB. */
    static boolean worthIt(ClientTls tls, long bytes) {
        return tls != null && tls.enabled() && bytes >= MIN_TRANSFER_BYTES;
    }

    /**
     * The warm-up itself, on the calling thread.
     *
     * @return whether every piece came back as it went in; a failure only costs speed and is ignored
     */
    static boolean run() {
        try {
            SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
            Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] plain = new byte[PIECE_BYTES];
            byte[] sealed = new byte[PIECE_BYTES + 16];
            byte[] nonce = new byte[12];
            for (int piece = 0; piece < WARMUP_BYTES / PIECE_BYTES; piece++) {
                nonce[0] = (byte) piece;
                nonce[1] = (byte) (piece >>> 8);
                nonce[2] = (byte) (piece >>> 16);  // a nonce is never reused under the key
                GCMParameterSpec spec = new GCMParameterSpec(128, nonce);
                encrypt.init(Cipher.ENCRYPT_MODE, key, spec);
                encrypt.updateAAD(nonce, 0, 5);  // as a TLS record's header
                int n = encrypt.doFinal(plain, 0, PIECE_BYTES, sealed, 0);
                decrypt.init(Cipher.DECRYPT_MODE, key, spec);
                decrypt.updateAAD(nonce, 0, 5);
                if (decrypt.doFinal(sealed, 0, n, plain, 0) != PIECE_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;  // the transfer goes on; only its first records are slower
        }
    }
}
