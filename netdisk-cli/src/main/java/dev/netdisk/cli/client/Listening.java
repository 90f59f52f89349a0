package dev.netdisk.cli.client;

/**
 * The answer to {@code LISTEN}: this connection now gets events.
 *
 * @param heartbeatSeconds send a {@code NOOP} at least this often, or the server's idle timeout
 *                         ends the connection
 * @param backlog          how many kept messages follow as events
 */
public record Listening(long heartbeatSeconds, int backlog) {
}
