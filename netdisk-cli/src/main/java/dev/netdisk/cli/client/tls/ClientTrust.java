package dev.netdisk.cli.client.tls;

import dev.netdisk.protocol.Fingerprint;
import dev.netdisk.protocol.ServerTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client's rules for the server's certificate, in order:
 * <ol>
 *   <li>An expired (or not yet valid) leaf is refused, whatever else holds.
 *   <li>With {@code --fingerprint}, exactly that certificate is accepted and no other.
 *   <li>A chain to the system's authorities or to {@code --ca-file} is accepted if it names the
 *       host (DNS name or IP address in the subject alternative names); naming another host is
 *       refused.
 *   <li>Anything else (a self-signed server) is trusted on first use: the fingerprint is shown and
 *       saved in known_hosts; later the same fingerprint is accepted and a different one refused
 *       loudly, naming both and how to accept the new one.
 * </ol>
 * The host and port come from the handshake session (the name the user typed). A certificate
 * already in known_hosts for that server is accepted before the authorities are asked: only a
 * certificate trusted on first use is ever saved there, so the outcome is the same, and a one-shot
 * command does not parse the system's authorities (about 150 certificates) on every start.
 */
final class ClientTrust extends ServerTrust {

    private final TlsOptions options;
    /** The system's authorities and {@code --ca-file}'s, loaded on first need. */
    private List<X509TrustManager> authorities;
    private final KnownHosts knownHosts;
    private final String pinned;

    ClientTrust(TlsOptions options) throws GeneralSecurityException, IOException {
        this.options = options;
        this.pinned = options.fingerprint() == null ? null : Fingerprint.parse(options.fingerprint());
        this.knownHosts = new KnownHosts(options.knownHosts());
        if (options.caFile() != null) {
            authorities(); // a bad --ca-file is reported before anything connects
        }
    }

    private synchronized List<X509TrustManager> authorities() throws GeneralSecurityException, IOException {
        if (authorities != null) {
            return authorities;
        }
        List<X509TrustManager> managers = new ArrayList<>();
        managers.add(trustManager(null));
        if (options.caFile() != null) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            Collection<? extends Certificate> cas = readPem(options.caFile());
            if (cas.isEmpty()) {
                throw new IOException(options.caFile() + " holds no PEM certificate");
            }
            int i = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("ca" + i++, ca);
            }
            managers.add(trustManager(store));
        }
        authorities = List.copyOf(managers);
        return authorities;
    }

    private static Collection<? extends Certificate> readPem(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, ((SSLSocket) socket).getHandshakeSession());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, engine.getHandshakeSession());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the server's host is unknown: cannot check its certificate");
    }

    private void check(X509Certificate[] chain, String authType, SSLSession session) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new TrustRefusedException("the server sent no certificate");
        }
        String host = session.getPeerHost();
        String server = (host.contains(":") ? "[" + host + "]" : host) + ":" + session.getPeerPort();
        X509Certificate leaf = chain[0];
        String offered = Fingerprint.of(leaf);
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TrustRefusedException("the certificate of " + server + " expired on " + leaf.getNotAfter().toInstant()
                    + " (" + offered + "); refusing to connect. The server's operator must renew it"
                    + " (docs/OPERATIONS.md, \"Certificates\").", e);
        } catch (CertificateNotYetValidException e) {
            throw new TrustRefusedException("the certificate of " + server + " is not valid before "
                    + leaf.getNotBefore().toInstant() + " (" + offered + "); check this machine's clock.", e);
        }
        if (pinned != null) {
            if (!pinned.equals(offered)) {
                throw new TrustRefusedException("the certificate of " + server + " is " + offered
                        + ", not the " + pinned + " given with --fingerprint; refusing to connect.");
            }
            return;
        }
        if (offered.equals(known(server))) {
            return;
        }
        if (chainsToAnAuthority(chain, authType)) {
            if (!namesHost(leaf, host)) {
                throw new TrustRefusedException("the certificate of " + server + " is not for \"" + host
                        + "\" (it names " + names(leaf) + "); refusing to connect. Connect by one of those names.");
            }
            return;
        }
        trustOnFirstUse(server, offered);
    }

    private boolean chainsToAnAuthority(X509Certificate[] chain, String authType) throws CertificateException {
        List<X509TrustManager> all;
        try {
            all = authorities();
        } catch (GeneralSecurityException | IOException e) {
            throw new TrustRefusedException("cannot load the certificate authorities: " + e.getMessage(), e);
        }
        for (X509TrustManager tm : all) {
            try {
                tm.checkServerTrusted(chain, authType);
                return true;
            } catch (CertificateException | RuntimeException notThisOne) {
                // try the next set of authorities, then known hosts
            }
        }
        return false;
    }

    /** The fingerprint saved in known_hosts for {@code server}, or null. */
    private String known(String server) throws CertificateException {
        try {
            return knownHosts.get(server).orElse(null);
        } catch (IOException e) {
            throw new TrustRefusedException("cannot read " + knownHosts.file() + ": " + e.getMessage(), e);
        }
    }

    private void trustOnFirstUse(String server, String offered) throws CertificateException {
        String known = known(server);
        if (known != null) {
            throw new TrustRefusedException(String.join("\n",
                    "WARNING: THE CERTIFICATE OF " + server + " HAS CHANGED. Refusing to connect.",
                    "  known:   " + known + " (saved in " + knownHosts.file() + ")",
                    "  offered: " + offered,
                    "Someone may be intercepting this connection, or the server was given a new certificate.",
                    "Ask the server's operator for its fingerprint (netdisk-server status shows it). If it is " + offered + ":",
                    "  connect once with --fingerprint " + offered + " and remove the line for " + server + " from "
                            + knownHosts.file() + ", so the new certificate is saved on the next connection."));
        }
        String question = "The server " + server + " presents a certificate no authority vouches for.\n"
                + "  fingerprint: " + offered + "\n"
                + "Compare it with the one the server's operator gave you (netdisk-server status shows it).";
        if (options.confirm() != null) {
            if (!options.confirm().ask(question + "\nTrust it and remember it in " + knownHosts.file() + "? [y/N] ")) {
                throw new TrustRefusedException("not trusting the certificate " + offered + " of " + server);
            }
        } else if (options.notices() != null) {
            options.notices().accept("netdisk: trusting " + server + " on first use: certificate " + offered
                    + " saved in " + knownHosts.file());
        }
        try {
            knownHosts.add(server, offered);
        } catch (IOException e) {
            if (options.notices() != null) {
                options.notices().accept("netdisk: warning: cannot save " + knownHosts.file() + ": " + e.getMessage());
            }
        }
    }

    /** Whether {@code leaf}'s subject alternative names (or, lacking them, its CN) name {@code host}. */
    static boolean namesHost(X509Certificate leaf, String host) throws CertificateException {
        String wanted = host.toLowerCase(Locale.ROOT);
        boolean ip = wanted.contains(":") || wanted.matches("[0-9.]+");
        Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
        if (alternatives == null) {
            String cn = commonName(leaf);
            return !ip && cn != null && dnsMatches(cn.toLowerCase(Locale.ROOT), wanted);
        }
        for (List<?> alt : alternatives) {
            int type = (Integer) alt.get(0);
            String value = String.valueOf(alt.get(1)).toLowerCase(Locale.ROOT);
            if (ip && type == 7 && sameAddress(value, wanted)) {
                return true;
            }
            if (!ip && type == 2 && dnsMatches(value, wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = IDN.toASCII(pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern);
        String h = IDN.toASCII(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static String commonName(X509Certificate leaf) {
        for (String part : leaf.getSubjectX500Principal().getName().split(",")) {
            if (part.trim().toUpperCase(Locale.ROOT).startsWith("CN=")) {
                return part.trim().substring(3);
            }
        }
        return null;
    }

    private static String names(X509Certificate leaf) {
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives == null) {
                return String.valueOf(commonName(leaf));
            }
            List<String> names = new ArrayList<>();
            alternatives.forEach(a -> names.add(String.valueOf(a.get(1))));
            return String.join(", ", names);
        } catch (CertificateException e) {
            return "no readable names";
        }
    }
}
