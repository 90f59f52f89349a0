package dev.netdisk.server.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The server's local administration socket, {@code DATA_DIR/admin.sock}: a Unix domain socket
 * (mode 0600, so only the server's own user, or root, can connect) served by one thread of its own,
 * never the selector thread.
 *
 * <p>Protocol: the client sends one line and the server answers {@code key=value} lines, an empty
 * line, and closes. {@code STATS} gets the live counters (see {@link ServerStats#snapshot});
 * {@code DISCONNECT name} ends every connection logged in as that user (an administrator disabled
 * the account) and answers {@code closed=N}. Anything else gets {@code error=unknown request}.
 * {@link #query} and {@link #disconnect} are the client side.
 */
public final class AdminSocket implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AdminSocket.class.getName());

    /** The socket's name in the data directory. */
    public static final String FILE_NAME = "admin.sock";

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final Supplier<Map<String, String>> stats;
    private final ToIntFunction<String> disconnect;
    private final Supplier<String> reload;
    private volatile boolean closed;

    private AdminSocket(Path path, ServerSocketChannel server, Supplier<Map<String, String>> stats,
                        ToIntFunction<String> disconnect, Supplier<String> reload) {
        this.reload = reload;
        this.path = path;
        this.server = server;
        this.stats = stats;
        this.disconnect = disconnect;
        this.thread = new Thread(this::serve, "netdisk-admin");
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code DATA_DIR/admin.sock} and starts answering. The caller holds the data directory's
     * lock, so a socket file left by a crashed server can be deleted safely.
     *
     * @param stats      the live counters, for {@code STATS}
     * @param disconnect ends the connections of the user named, returning how many, for {@code DISCONNECT}
     * @param reload     reloads the TLS certificate for {@code RELOAD}: one {@code key=value} line
     * @throws IOException when it cannot be bound (for instance, a path longer than the OS allows)
     */
    public static AdminSocket start(Path dataDir, Supplier<Map<String, String>> stats,
                                    ToIntFunction<String> disconnect, Supplier<String> reload) throws IOException {
        Path path = dataDir.resolve(FILE_NAME).toAbsolutePath();
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data directory's own permissions protect it
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        AdminSocket socket = new AdminSocket(path, server, stats, disconnect, reload);
        socket.thread.start();
        return socket;
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel client = server.accept()) {
                answer(client);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "admin socket request failed", e);
                }
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        // Blocking reads on this thread of its own; a client that never sends a line holds up only
        // the next admin query, which is acceptable for a 0600 socket.
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8));
        String request = in.readLine();
        StringBuilder reply = new StringBuilder();
        String[] words = request == null ? new String[0] : request.strip().split(" +", 2);
        if (words.length == 1 && words[0].equalsIgnoreCase("STATS")) {
            stats.get().forEach((k, v) -> reply.append(k).append('=').append(v).append('\n'));
        } else if (words.length == 1 && words[0].equalsIgnoreCase("RELOAD")) {
            reply.append(reload.get().replace('\n', ' ')).append('\n');
        } else if (words.length == 2 && words[0].equalsIgnoreCase("DISCONNECT")) {
            reply.append("closed=").append(disconnect.applyAsInt(words[1])).append('\n');
        } else {
            reply.append("error=unknown request\n");
        }
        reply.append('\n');
        OutputStream out = Channels.newOutputStream(client);
        out.write(reply.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Asks the server of {@code dataDir} for its statistics.
     *
     * @throws IOException when no server answers there
     */
    public static Map<String, String> query(Path dataDir) throws IOException {
        return request(dataDir, "STATS");
    }

    /**
     * Asks the server of {@code dataDir} to end every connection logged in as {@code user}.
     *
     * @return how many connections it closed
     * @throws IOException when no server answers there
     */
    public static int disconnect(Path dataDir, String user) throws IOException {
        return disconnect(dataDir, user, Why.DISABLED);
    }

    /** Why an administrator ends a user's connections: the reason their clients are given. */
    public enum Why {
        DISABLED("account disabled by the administrator"),
        PASSWORD("password changed by the administrator");

        private final String text;

        Why(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** The reason named in a {@code DISCONNECT name [WHY]} request; {@link #DISABLED} when none or unknown. */
        public static Why named(String word) {
            for (Why w : values()) {
                if (w.name().equalsIgnoreCase(word)) {
                    return w;
                }
            }
            return DISABLED;
        }
    }

    /**
     * As above, saying {@code why} to the user's clients; the server also revokes every ticket of
     * the user and stops their transfers.
     */
    public static int disconnect(Path dataDir, String user, Why why) throws IOException {
        String closed = request(dataDir, "DISCONNECT " + user + " " + why.name()).get("closed");
        if (closed == null) {
            throw new IOException("the server did not understand DISCONNECT (an older version?)");
        }
        return Integer.parseInt(closed);
    }

    /**
     * Asks the server of {@code dataDir} to reload its TLS certificate and key.
     *
     * @return {@code fingerprint} (the certificate now used) or {@code error}
     * @throws IOException when no server answers there
     */
    public static Map<String, String> reload(Path dataDir) throws IOException {
        return request(dataDir, "RELOAD");
    }

    private static Map<String, String> request(Path dataDir, String line) throws IOException {
        Path path = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            Map<String, String> result = new LinkedHashMap<>();
            String answer;
            while ((answer = in.readLine()) != null && !answer.isEmpty()) {
                int eq = answer.indexOf('=');
                if (eq > 0) {
                    result.put(answer.substring(0, eq), answer.substring(eq + 1));
                }
            }
            return result;
        }
    }

    /** Stops answering and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stale socket file is deleted at the next start
        }
    }
}
