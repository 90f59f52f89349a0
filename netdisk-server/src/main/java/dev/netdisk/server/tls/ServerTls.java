package dev.netdisk.server.tls;

import dev.netdisk.protocol.PinnedTrust;
import dev.netdisk.server.config.TlsSettings;
import dev.netdisk.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server's side of TLS: its certificate and key, and the {@link SSLEngine}s made from them.
 *
 * <p>With no certificate configured, the first start makes a self-signed one in the data directory
 * ({@code tls-cert.pem}, {@code tls-key.pem} of mode 0600) and later starts load it. {@link #reload}
 * reads the files again (a renewed certificate) and swaps them in for new connections; open ones
 * keep the engine they have.
 *
 * <p>Thread-safe: {@link #newEngine} runs on the selector thread, {@link #reload} on the admin or
 * signal thread.
 */
public final class ServerTls {

    private static final System.Logger LOG = System.getLogger(ServerTls.class.getName());

    /** The self-signed certificate's file names in the data directory. */
    public static final String CERT_FILE = "tls-cert.pem";
    public static final String KEY_FILE = "tls-key.pem";

    private final Path certFile;
    private final Path keyFile;
    private volatile Loaded current;

    private record Loaded(SSLContext context, PemIdentity identity) {
    }

    private ServerTls(Path certFile, Path keyFile, Loaded loaded) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.current = loaded;
    }

    /**
     * Loads the configured certificate, or the data directory's self-signed one, making it on first start.
     *
     * @throws IOException              a file cannot be read or written
     * @throws GeneralSecurityException the key does not match the certificate, or TLS is unavailable
     */
    public static ServerTls open(TlsSettings settings, Path dataDir) throws IOException, GeneralSecurityException {
        Path cert = settings.selfSigned() ? dataDir.resolve(CERT_FILE) : settings.certFile();
        Path key = settings.selfSigned() ? dataDir.resolve(KEY_FILE) : settings.keyFile();
        if (settings.selfSigned() && !(Files.exists(cert) && Files.exists(key))) {
            PemIdentity made = SelfSigned.create();
            SelfSigned.write(made, cert, key, PrivateFiles.fileAttributes());
            PrivateFiles.restrict(cert);
            // DEBUG: the start-up line shows the fingerprint, and is the first line a script reads.
            LOG.log(System.Logger.Level.DEBUG, () -> "made a self-signed TLS certificate " + made.fingerprint() + " in " + cert);
        }
        return new ServerTls(cert, key, load(cert, key));
    }

    private static Loaded load(Path cert, Path key) throws IOException, GeneralSecurityException {
        PemIdentity identity = PemIdentity.read(cert, key);
        X509Certificate leaf = identity.chain().get(0);
        if (leaf.getNotAfter().toInstant().isBefore(Instant.now())) {
            LOG.log(System.Logger.Level.WARNING, () -> "the TLS certificate in " + cert + " expired on "
                    + leaf.getNotAfter().toInstant() + ": clients will refuse it");
        }
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("netdisk", identity.key(), password, identity.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, new SecureRandom());
        return new Loaded(context, identity);
    }

    /**
     * Reads the certificate and key files again and uses them for every new connection; open
     * connections are not touched. On failure the old certificate stays.
     *
     * @return the new certificate's fingerprint
     */
    public String reload() throws IOException, GeneralSecurityException {
        Loaded loaded = load(certFile, keyFile);
        String before = current.identity().fingerprint();
        current = loaded;
        String after = loaded.identity().fingerprint();
        LOG.log(System.Logger.Level.INFO, () -> "TLS certificate reloaded from " + certFile + ": "
                + (before.equals(after) ? "unchanged " + after : before + " -> " + after));
        return after;
    }

    /** The current certificate's fingerprint, {@code SHA256:...}. */
    public String fingerprint() {
        return current.identity().fingerprint();
    }

    /** When the current certificate expires. */
    public Instant notAfter() {
        return current.identity().chain().get(0).getNotAfter().toInstant();
    }

    /** The file the certificate comes from. */
    public Path certFile() {
        return certFile;
    }

    /** A server-side engine for one connection: TLS 1.3, or 1.2 for clients without it. */
    public SSLEngine newEngine() {
        SSLEngine engine = current.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PinnedTrust.PROTOCOLS);
        engine.setSSLParameters(parameters);
        return engine;
    }
}
