package dev.netdisk.cli.session;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The connection and credential options every command accepts. Fields stay {@code null} when not
 * given so that {@link Settings} can fall back to the environment.
 */
public final class ConnectionOptions {

    @Option(names = "--host", paramLabel = "HOST", scope = ScopeType.INHERIT,
            description = "Server host (default: $NETDISK_HOST, else localhost).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", scope = ScopeType.INHERIT,
            description = "Server TCP port (default: $NETDISK_PORT, else 2121).")
    Integer port;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", scope = ScopeType.INHERIT,
            description = "User name (default: $NETDISK_USER, else the user of the newest saved session).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read the password from the first line of FILE (else $NETDISK_PASSWORD, else a prompt on a terminal).")
    Path passwordFile;

    @Option(names = "--no-tls", scope = ScopeType.INHERIT,
            description = "Connect without TLS, for a server that has it switched off: the password and files "
                    + "cross the network in clear (a warning says so).")
    boolean noTls;

    @Option(names = "--ca-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Also trust the certificate authorities in this PEM file (the server's name is checked).")
    Path caFile;

    @Option(names = "--fingerprint", paramLabel = "SHA256:HEX", scope = ScopeType.INHERIT,
            description = "Accept only the server certificate with this fingerprint (netdisk-server status shows it); "
                    + "for scripts, instead of trusting on first use.")
    String fingerprint;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No progress bars and no informational messages; errors only.")
    boolean quiet;

    @Option(names = "--utc", scope = ScopeType.INHERIT,
            description = "Print times in UTC (default: the local time zone, with its offset).")
    boolean utc;
}
