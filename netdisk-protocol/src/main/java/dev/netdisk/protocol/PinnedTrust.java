package dev.netdisk.protocol;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for {@link ProtocolClient}, the raw test and benchmark client: either one pinned
 * certificate fingerprint, or (tests only) any certificate. The real client's trust rules (system
 * store, CA file, known hosts) are in netdisk-cli.
 */
public final class PinnedTrust extends ServerTrust {

    /** TLS 1.3, and 1.2 for peers that lack it: what both sides enable. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final String fingerprint;

    private PinnedTrust(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    /** A context that accepts only the certificate with this fingerprint, and only while it is valid. */
    public static SSLContext pinned(String fingerprint) {
        return context(new PinnedTrust(Fingerprint.parse(fingerprint)));
    }

    /** A context that accepts any certificate: encryption without authentication, for tests and benchmarks. */
    public static SSLContext trustAll() {
        return context(new PinnedTrust(null));
    }

    private static SSLContext context(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        if (fingerprint == null) {
            return;
        }
        String actual = Fingerprint.of(chain[0]);
        if (!actual.equals(fingerprint)) {
            throw new CertificateException("the server's certificate " + actual + " is not the pinned " + fingerprint);
        }
        chain[0].checkValidity();
    }
}
