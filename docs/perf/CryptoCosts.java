import java.lang.management.*;
import java.security.*;
import javax.crypto.*;
import javax.crypto.spec.*;

/** Run: java docs/perf/CryptoCosts.java [JVM flags before the file name]. CPU seconds per GiB of MD5 and of AES-256-GCM in 16 KiB records (TLS 1.3's record size), on one thread. */
public class CryptoCosts {
    public static void main(String[] a) throws Exception {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        byte[] buf = new byte[16384];
        new SecureRandom().nextBytes(buf);
        byte[] out = new byte[16384 + 16];
        long gib = 1L << 30; int n = (int) (gib / buf.length);
        SecretKey key = new SecretKeySpec(new byte[32], "AES");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (int round = 0; round < 3; round++) {
            long c0 = t.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) md.update(buf);
            md.digest();
            long c1 = t.getCurrentThreadCpuTime();
            byte[] iv = new byte[12];
            for (int i = 0; i < n; i++) {
                iv[0] = (byte) i; iv[1] = (byte) (i >> 8); iv[2] = (byte) (i >> 16); iv[3] = (byte) round;
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                c.doFinal(buf, 0, buf.length, out, 0);
            }
            long c2 = t.getCurrentThreadCpuTime();
            System.out.printf("round %d: MD5 %.2f CPU-s/GiB, AES-256-GCM encrypt %.2f CPU-s/GiB%n", round, (c1 - c0) / 1e9, (c2 - c1) / 1e9);
        }
    }
}
