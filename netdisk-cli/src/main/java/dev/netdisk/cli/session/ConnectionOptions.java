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

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No progress bars and no informational messages; errors only.")
    boolean quiet;

    @Option(names = "--utc", scope = ScopeType.INHERIT,
            description = "Print times in UTC (default: the local time zone, with its offset).")
    boolean utc;
}
