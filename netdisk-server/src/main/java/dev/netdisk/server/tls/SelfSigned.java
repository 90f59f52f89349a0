package dev.netdisk.server.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate a server makes for itself on first start when none is configured: ECDSA P-256,
 * self-signed, named after the host (and {@code localhost}, {@code 127.0.0.1}, {@code ::1}), valid
 * for ten years. Clients trust it on first use, by fingerprint (docs/SECURITY.md). Written with
 * BouncyCastle's bcpkix: the JDK has no public API that makes a certificate.
 */
public final class SelfSigned {

    /** How long a made certificate is valid: trust is by fingerprint, so a renewal would only alarm clients. */
    static final Duration VALIDITY = Duration.ofDays(3650);

    private SelfSigned() {
    }

    /** A new key and certificate valid from now on, for this host's names. */
    public static PemIdentity create() throws GeneralSecurityException {
        Instant now = Instant.now();
        return create(defaultNames(), now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
    }

    /** A new key and certificate for {@code names} (DNS names or IP addresses), valid in the given window. */
    public static PemIdentity create(List<String> names, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, names.get(0)).addRDN(BCStyle.O, "netdisk").build();
        BigInteger serial = new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
        try {
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : names) {
                boolean ip = name.matches("[0-9.]+") || name.contains(":");
                alternatives.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new PemIdentity(List.of(certificate), pair.getPrivate());
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot make a certificate: " + e.getMessage(), e);
        }
    }

    /** This host's name first, then the loopback names a local client uses. */
    static List<String> defaultNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank() && !host.matches("[0-9.:]+")) {
                names.add(host);
            }
        } catch (UnknownHostException ignored) {
            // the loopback names still serve a local client
        }
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        return List.copyOf(names);
    }

    /**
     * Writes {@code identity} as PEM: the key to a new file of mode 0600 (created with that mode,
     * never readable by others for an instant), then the certificate.
     */
    public static void write(PemIdentity identity, Path certFile, Path keyFile,
                             java.nio.file.attribute.FileAttribute<?>... keyAttributes) throws IOException {
        Path keyTemp = keyFile.resolveSibling(keyFile.getFileName() + ".new");
        Files.deleteIfExists(keyTemp);
        Files.createFile(keyTemp, keyAttributes);
        try (Writer w = Files.newBufferedWriter(keyTemp, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(identity.key(), null));
        }
        Path certTemp = certFile.resolveSibling(certFile.getFileName() + ".new");
        try (Writer w = Files.newBufferedWriter(certTemp, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : identity.chain()) {
                pem.writeObject(c);
            }
        }
        Files.move(keyTemp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(certTemp, certFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
