package dev.netdisk.server.tls;

import dev.netdisk.protocol.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain (leaf first) and the leaf's private key: what the server proves itself with.
 *
 * @param chain the leaf certificate, then any intermediates
 * @param key   the leaf's private key
 */
public record PemIdentity(List<X509Certificate> chain, PrivateKey key) {

    public PemIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /** The leaf certificate's fingerprint, {@code SHA256:...}. */
    public String fingerprint() {
        return Fingerprint.of(chain.get(0));
    }

    /**
     * Reads a PEM chain and a PEM key (PKCS#8 {@code PRIVATE KEY}, or {@code EC}/{@code RSA PRIVATE
     * KEY}; unencrypted), and checks that the key belongs to the leaf certificate.
     *
     * @throws IOException              a file cannot be read or holds no certificate or key
     * @throws GeneralSecurityException the key does not match the certificate
     */
    public static PemIdentity read(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certFile)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(certFile + " holds no PEM certificate");
        }
        PrivateKey key = null;
        try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while (key == null && (o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    key = converter.getKeyPair(pair).getPrivate();
                } else if (o instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
            }
        }
        if (key == null) {
            throw new IOException(keyFile + " holds no unencrypted PEM private key");
        }
        PemIdentity identity = new PemIdentity(chain, key);
        identity.checkKeyMatches(certFile, keyFile);
        return identity;
    }

    /** Signs a probe with the key and verifies it with the leaf's public key. */
    private void checkKeyMatches(Path certFile, Path keyFile) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // the handshake will tell
        }
        byte[] probe = "netdisk".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(chain.get(0).getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
    }
}
