package dev.netdisk.cli.client.tls;

import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.protocol.LineInput;
import dev.netdisk.protocol.PinnedTrust;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyAssembler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The client's TLS for one server: {@code AUTH TLS} on a fresh connection, then the handshake
 * under {@link ClientTrust}'s rules. One context serves every connection to that server in this
 * process (control, data, a mirror's workers), so TLS 1.3 resumes sessions and data connections
 * skip the certificate work.
 *
 * <p>The data connections of the client library find the settings their control connection used
 * through {@link #forServer}: the transfer code opens them by host and port only.
 *
 * <p>Thread-safe.
 */
public final class ClientTls {

    private static final Map<String, ClientTls> BY_SERVER = new ConcurrentHashMap<>();

    private final TlsOptions options;
    private final SSLContext context;
    private final AtomicBoolean warned = new AtomicBoolean();

    private ClientTls(TlsOptions options, SSLContext context) {
        this.options = options;
        this.context = context;
    }

    /**
     * The TLS of {@code options}: a new context (trust is checked once per server and process).
     *
     * @throws IOException the CA file cannot be read, or the fingerprint is malformed
     */
    public static ClientTls of(TlsOptions options) throws IOException {
        if (!options.enabled()) {
            return new ClientTls(options, null);
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ClientTrust(options)}, new SecureRandom());
            return new ClientTls(options, context);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** No TLS and no warning: the bench's plain rows, measured from loopback as before TLS existed. */
    public static ClientTls plainForBench() {
        return new ClientTls(TlsOptions.defaults().withEnabled(false).withNotices(null), null);
    }

    /** Remembers that connections to {@code host:port} use this TLS (the control connection's choice). */
    public ClientTls register(String host, int port) {
        BY_SERVER.put(key(host, port), this);
        return this;
    }

    /** The TLS the last control connection to {@code host:port} used, or the defaults. */
    public static ClientTls forServer(String host, int port) throws IOException {
        ClientTls known = BY_SERVER.get(key(host, port));
        return known != null ? known : of(TlsOptions.defaults()).register(host, port);
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    public boolean enabled() {
        return context != null;
    }

    /** The context, for {@code ProtocolClient.startTls} (the bench). */
    public SSLContext context() {
        return context;
    }

    /** Says once, on stderr, that this connection is in clear ({@code --no-tls}). */
    public void warnIfPlain(String host, int port) {
        if (!enabled() && options.notices() != null && warned.compareAndSet(false, true)) {
            options.notices().accept("netdisk: warning: --no-tls: the password, session token, chat and files "
                    + "cross the network to " + host + ":" + port + " in clear");
        }
    }

    /**
     * After the {@code 220} greeting: sends {@code AUTH TLS}, expects {@code 234}, and runs the
     * handshake over {@code plain}.
     *
     * @param in the line reader over {@code plain} that read the greeting (nothing may be buffered)
     * @return the TLS socket that replaces {@code plain}
     * @throws NetdiskConnectionException the server offers no TLS, or its certificate is refused
     */
    public Socket negotiate(Socket plain, LineInput in, String host, int port) throws IOException {
        OutputStream out = plain.getOutputStream();
        out.write("AUTH TLS\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Reply reply = readReply(in);
        if (reply.code() != 234) {
            throw new NetdiskConnectionException("the server at " + host + ":" + port + " does not offer TLS ("
                    + reply + "); connect with --no-tls only if the network is trusted");
        }
        if (in.buffered() > 0) {
            throw new NetdiskConnectionException("protocol error: the server sent bytes in clear after 234");
        }
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(PinnedTrust.PROTOCOLS);
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        try {
            ssl.startHandshake();
        } catch (SSLException e) {
            TrustRefusedException refused = TrustRefusedException.in(e);
            try {
                ssl.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            if (refused != null) {
                throw new NetdiskConnectionException(refused.getMessage(), e);
            }
            throw new NetdiskConnectionException("TLS handshake with " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
        return ssl;
    }

    /** Reads one whole reply from {@code in} (events are not expected before a login). */
    public static Reply readReply(LineInput in) throws IOException {
        ReplyAssembler assembler = new ReplyAssembler();
        String line;
        while ((line = in.readLine()) != null) {
            if (assembler.accept(line) instanceof ReplyAssembler.Completed done) {
                return done.reply();
            }
        }
        throw new NetdiskConnectionException("connection closed by the server");
    }
}
