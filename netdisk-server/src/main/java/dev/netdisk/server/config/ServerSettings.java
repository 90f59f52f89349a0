package dev.netdisk.server.config;

import java.nio.file.Path;

/**
 * Everything a server start needs, after the command line has been laid over the configuration
 * file and the defaults: the {@link ServerConfig} of the server itself plus what belongs to the
 * process (logging, pid file, daemon mode).
 *
 * @param logFile where log records go; {@code null} means stdout
 * @param pidFile where the pid is written once the server listens; {@code null} for none
 * @param daemon  whether to detach ({@code --daemon}, or {@code daemon=true} in the file)
 */
public record ServerSettings(ServerConfig config, LogLevel logLevel, Path logFile, Path pidFile, boolean daemon) {
}
