package dev.netdisk.server;

import dev.netdisk.server.ops.ConfigException;
import dev.netdisk.server.ops.ConfigFile;
import dev.netdisk.server.ops.Values;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@link Limits} as {@code netdisk-server} options (and configuration keys of the same names),
 * a mixin of {@link ServerMain}. Counts of 0 mean no limit; defaults are {@link Limits#defaults()}'s,
 * documented in {@code docs/PROTOCOL.md} section 8 and {@code docs/OPERATIONS.md}.
 */
final class LimitOptions {

    @Option(names = "--max-connections", paramLabel = "N", description = "Open connections in all; 0: no limit (default: 20000).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Open connections from one IP address (default: 512).")
    Integer maxConnectionsPerIp;

    @Option(names = "--max-sessions-per-user", paramLabel = "N", description = "Logged-in connections of one user (default: 64).")
    Integer maxSessionsPerUser;

    @Option(names = "--max-tickets-per-user", paramLabel = "N", description = "Unused transfer tickets of one user (default: 64).")
    Integer maxTicketsPerUser;

    @Option(names = "--max-transfers-per-user", paramLabel = "N", description = "Transfers of one user at once (default: 16).")
    Integer maxTransfersPerUser;

    @Option(names = "--idle-timeout-seconds", paramLabel = "S", description = "Close a logged-in connection idle this long (default: 900).")
    Integer idleTimeoutSeconds;

    @Option(names = "--login-timeout-seconds", paramLabel = "S", description = "Close a connection not logged in after this long (default: 120).")
    Integer loginTimeoutSeconds;

    @Option(names = "--line-timeout-seconds", paramLabel = "S", description = "Close a connection whose line is not finished in this long (default: 60).")
    Integer lineTimeoutSeconds;

    @Option(names = "--transfer-stall-timeout-seconds", paramLabel = "S", description = "Close a data connection whose bytes stop this long (default: 60).")
    Integer transferStallTimeoutSeconds;

    @Option(names = "--login-failures-before-delay", paramLabel = "N", description = "Failed logins answered at once, per name and IP (default: 3).")
    Integer loginFailuresBeforeDelay;

    @Option(names = "--max-login-delay-seconds", paramLabel = "S", description = "Longest delay of a failed login's reply (default: 16).")
    Integer maxLoginDelaySeconds;

    @Option(names = "--login-failures-before-lock", paramLabel = "N", description = "Failed logins that lock a name or IP out (default: 10).")
    Integer loginFailuresBeforeLock;

    @Option(names = "--login-lock-minutes", paramLabel = "M", description = "How long a lock-out lasts (default: 15).")
    Integer loginLockMinutes;

    @Option(names = "--registration-open", paramLabel = "true|false", arity = "1",
            description = "Whether clients may REGISTER accounts (default: true; false: only 'user add').")
    String registrationOpen;

    @Option(names = "--registrations-per-ip-per-hour", paramLabel = "N", description = "Accounts one IP address may register per hour; 0: no limit (default: 20).")
    Integer registrationsPerIpPerHour;

    /** The command line over the file over the defaults. */
    Limits resolve(CommandLine.Model.CommandSpec spec, ConfigFile file) throws ConfigException {
        Limits d = Limits.defaults();
        Setting s = new Setting(spec, file);
        return new Limits(
                s.integer("max-connections", maxConnections, 0, d.maxConnections()),
                s.integer("max-connections-per-ip", maxConnectionsPerIp, 0, d.maxConnectionsPerIp()),
                s.integer("max-sessions-per-user", maxSessionsPerUser, 0, d.maxSessionsPerUser()),
                s.integer("max-tickets-per-user", maxTicketsPerUser, 0, d.maxTicketsPerUser()),
                s.integer("max-transfers-per-user", maxTransfersPerUser, 0, d.maxTransfersPerUser()),
                Duration.ofSeconds(s.integer("idle-timeout-seconds", idleTimeoutSeconds, 1,
                        (int) d.idleTimeout().toSeconds())),
                Duration.ofSeconds(s.integer("login-timeout-seconds", loginTimeoutSeconds, 1,
                        (int) d.loginTimeout().toSeconds())),
                Duration.ofSeconds(s.integer("line-timeout-seconds", lineTimeoutSeconds, 1,
                        (int) d.lineTimeout().toSeconds())),
                Duration.ofSeconds(s.integer("transfer-stall-timeout-seconds", transferStallTimeoutSeconds, 1,
                        (int) d.transferStallTimeout().toSeconds())),
                s.integer("login-failures-before-delay", loginFailuresBeforeDelay, 0, d.loginFailuresBeforeDelay()),
                Duration.ofSeconds(s.integer("max-login-delay-seconds", maxLoginDelaySeconds, 0,
                        (int) d.maxLoginDelay().toSeconds())),
                s.integer("login-failures-before-lock", loginFailuresBeforeLock, 1, d.loginFailuresBeforeLock()),
                Duration.ofMinutes(s.integer("login-lock-minutes", loginLockMinutes, 1,
                        (int) d.loginLockTime().toMinutes())),
                s.bool("registration-open", registrationOpen, d.registrationOpen()),
                s.integer("registrations-per-ip-per-hour", registrationsPerIpPerHour, 0, d.registrationsPerIpPerHour()));
    }

    /** One setting: the option {@code --KEY} if given (checked), else the file's {@code KEY}, else the default. */
    record Setting(CommandLine.Model.CommandSpec spec, ConfigFile file) {

        int integer(String key, Integer fromCommandLine, int min, int fallback) throws ConfigException {
            if (fromCommandLine != null) {
                return check(key, () -> Values.checkAtLeast(fromCommandLine, min));
            }
            return file.get(key, v -> Values.atLeast(v, min)).orElse(fallback);
        }

        boolean bool(String key, String fromCommandLine, boolean fallback) throws ConfigException {
            if (fromCommandLine != null) {
                return check(key, () -> Values.bool(fromCommandLine));
            }
            return file.get(key, Values::bool).orElse(fallback);
        }

        private <T> T check(String key, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "bad value for --" + key + ": " + e.getMessage());
            }
        }
    }
}
