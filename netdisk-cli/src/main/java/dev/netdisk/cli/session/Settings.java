package dev.netdisk.cli.session;

import dev.netdisk.cli.client.NetdiskClient;
import java.nio.file.Path;

/**
 * The resolved connection settings: options first, then environment variables, then defaults.
 *
 * @param host         server host
 * @param port         server port
 * @param user         user name, or {@code null} if neither given nor in the environment
 * @param passwordFile file holding the password, or {@code null}
 * @param quiet        no progress and no informational messages
 * @param noTls        connect without TLS ({@code --no-tls}): secrets cross the network in clear
 * @param caFile       extra authorities to trust ({@code --ca-file}), or {@code null}
 * @param fingerprint  the one server certificate to accept ({@code --fingerprint}), or {@code null}
 * @param utc          print times in UTC rather than in the local zone
 */
public record Settings(String host, int port, String user, Path passwordFile, boolean quiet, boolean noTls,
                       Path caFile, String fingerprint, boolean utc) {

    /** Settings with TLS as by default: on, the system's authorities and known hosts; times in the local zone. */
    public Settings(String host, int port, String user, Path passwordFile, boolean quiet) {
        this(host, port, user, passwordFile, quiet, false, null, null, false);
    }

    /** How times are printed for people. */
    public Times times() {
        return Times.of(utc);
    }

    public static Settings resolve(ConnectionOptions o, Env env) {
        String host = o.host != null ? o.host : env.var(Env.HOST) != null ? env.var(Env.HOST) : "localhost";
        int port;
        if (o.port != null) {
            port = o.port;
        } else if (env.var(Env.PORT) != null) {
            try {
                port = Integer.parseInt(env.var(Env.PORT).trim());
            } catch (NumberFormatException e) {
                throw new UsageException(Env.PORT + " is not a port number: " + env.var(Env.PORT));
            }
        } else {
            port = NetdiskClient.DEFAULT_PORT;
        }
        if (port < 1 || port > 65_535) {
            throw new UsageException("port must be 1-65535: " + port);
        }
        String user = o.user != null ? o.user : env.var(Env.USER);
        if (o.fingerprint != null) {
            try {
                dev.netdisk.protocol.Fingerprint.parse(o.fingerprint);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--fingerprint: " + e.getMessage());
            }
        }
        if (o.noTls && (o.fingerprint != null || o.caFile != null)) {
            throw new UsageException("--no-tls excludes --fingerprint and --ca-file");
        }
        return new Settings(host, port, user, o.passwordFile, o.quiet, o.noTls, o.caFile, o.fingerprint, o.utc);
    }
}
