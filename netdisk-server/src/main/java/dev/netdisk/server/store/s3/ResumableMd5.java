package dev.netdisk.server.store.s3;

import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.MD5Digest;

/**
 * MD5 whose state can be saved and restored (Bouncy Castle's {@link MD5Digest} encoded state):
 * an upload to S3 saves it at each stored part, so whichever server resumes the upload continues
 * the file's MD5 without reading the parts back (S3 cannot read the parts of an unfinished
 * multipart upload). The JDK's MD5 cannot be serialized.
 *
 * <p>Not thread-safe: the hash lane, one chunk at a time.
 */
final class ResumableMd5 extends MessageDigest {

    private MD5Digest md5;

    /** A fresh MD5. */
    ResumableMd5() {
        this(new MD5Digest());
    }

    private ResumableMd5(MD5Digest md5) {
        super("MD5");
        this.md5 = md5;
    }

    /** The MD5 continued from {@code state} ({@link #state}). */
    static ResumableMd5 restore(byte[] state) {
        return new ResumableMd5(new MD5Digest(state));
    }

    /** The state now, to {@link #restore} later. */
    byte[] state() {
        return md5.getEncodedState();
    }

    @Override
    protected void engineUpdate(byte input) {
        md5.update(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        md5.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
        byte[] out = new byte[md5.getDigestSize()];
        md5.doFinal(out, 0);
        return out;
    }

    @Override
    protected void engineReset() {
        md5.reset();
    }

    @Override
    protected int engineGetDigestLength() {
        return 16;
    }
}
