package dev.netdisk.server.net;

import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.config.AddressRanges;
import dev.netdisk.server.config.Limits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The listening socket's side of the selector thread: takes every pending connection, refuses those
 * past {@code max-connections} or {@code max-connections-per-ip} with one {@code 421} line, hands
 * the others to the loop to set up, and when accepting fails (out of descriptors: {@code EMFILE}) or
 * a set-up fails for lack of memory, stops accepting for a pause that grows while it keeps failing
 * ({@link AcceptBackoff}) instead of spinning on the pending connection. A connection from a proxy
 * in {@code --proxy-protocol-from} first has its PROXY header read ({@link ProxyHeaderReader}),
 * within the line timeout; the client address it names is then the connection's address for every
 * limit, log line and the TLS loopback exemption. Selector thread only.
 */
final class Acceptor {

    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());

    /** What the loop does with an accepted connection. */
    interface Loop {
        /**
         * Sets up and registers a welcome connection (its channel is non-blocking already, and may
         * be registered already by {@link #register}).
         */
        void open(SocketChannel channel, InetSocketAddress from) throws IOException;

        /** Registers {@code channel} for reading, with no attachment yet. */
        SelectionKey register(SocketChannel channel) throws IOException;

        /** How many connections are open. */
        int openConnections();

        /** Runs {@code task} on the selector thread at {@code dueNanos} ({@link System#nanoTime}). */
        void at(long dueNanos, Runnable task);

        /** Throws where a test injects a failure ({@link EventLoop.Faults}); does nothing in a server. */
        void fault(String point) throws IOException;

        /** Logs the counts of trouble, at most once per interval. */
        void reportTrouble();
    }

    private final ServerSocketChannel server;
    private final SelectionKey serverKey;
    private final Limits limits;
    private final Loop loop;
    private final AcceptBackoff backoff = new AcceptBackoff(System::nanoTime);
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private final AddressRanges proxies;
    /** Connections from proxies whose header is being read: open sockets, counted against {@code max-connections}. */
    private int awaitingHeader;

    /**
     * @param proxies the peers whose PROXY protocol header is read and believed; {@link AddressRanges#NONE}: none
     */
    Acceptor(ServerSocketChannel server, SelectionKey serverKey, Limits limits, AddressRanges proxies, Loop loop) {
        this.server = server;
        this.serverKey = serverKey;
        this.limits = limits;
        this.proxies = proxies;
        this.loop = loop;
    }

    /** Takes every connection pending now; the listening key was ready. */
    void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                pause(e);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                loop.fault("accept");
                channel.configureBlocking(false);
                InetSocketAddress from = (InetSocketAddress) channel.getRemoteAddress();
                if (proxies.contains(from.getAddress())) {
                    readProxyHeader(channel, from);
                } else {
                    admit(channel, from);
                }
                backoff.succeeded();
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                // Out of memory for its buffers, a registration that failed: drop this connection
                // and stop accepting for a while, as when accept itself fails.
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // gone already
                }
                if (!(e instanceof IOException)) {
                    pause(e);
                    return;
                }
            }
        }
    }

    /** Opens the connection from {@code from} (the client, as its proxy named it or as it connected), or refuses it. */
    private void admit(SocketChannel channel, InetSocketAddress from) throws IOException {
        String refusal = refusal(from.getAddress());
        if (refusal != null) {
            refuse(channel, from, refusal);
            return;
        }
        loop.open(channel, from);
        perIp.merge(from.getAddress(), 1, Integer::sum);
    }

    /**
     * Reads the PROXY header of a connection from a trusted proxy, then admits it under the client's
     * address. Past {@code max-connections} it is refused at once, as any other.
     */
    private void readProxyHeader(SocketChannel channel, InetSocketAddress proxy) throws IOException {
        if (limits.maxConnections() > 0 && loop.openConnections() + awaitingHeader >= limits.maxConnections()) {
            refuse(channel, proxy, tooMany());
            return;
        }
        SelectionKey key = loop.register(channel);
        awaitingHeader++;
        ProxyHeaderReader reader = new ProxyHeaderReader(channel, key, proxy, new ProxyHeaderReader.Done() {
            @Override
            public void accepted(SocketChannel c, InetSocketAddress client) {
                awaitingHeader--;
                try {
                    admit(c, client);
                } catch (IOException | RuntimeException e) {
                    key.cancel();
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }

            @Override
            public void dropped(String why) {
                awaitingHeader--;
                backoff.refused("proxy connection without a valid PROXY header: " + why);
                loop.reportTrouble();
            }
        });
        key.attach(reader);
        loop.at(System.nanoTime() + limits.lineTimeout().toNanos(), reader::expire);
    }

    /** A connection from {@code address} closed: it no longer counts against its address's limit. */
    void closed(InetAddress address) {
        perIp.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    /** The line to log about failed accepts and refused connections, when one is due; else null. */
    String reportDue(int openConnections) {
        return backoff.reportDue(openConnections);
    }

    /**
     * Stops accepting for a pause that grows while accepting keeps failing; open connections are
     * served meanwhile. The failure is counted and logged once per interval, not per attempt.
     */
    private void pause(Throwable e) {
        Duration pause = backoff.failed(e instanceof IOException ? String.valueOf(e.getMessage()) : e.toString());
        if (serverKey.isValid()) {
            serverKey.interestOps(0);
        }
        loop.at(System.nanoTime() + pause.toNanos(), () -> {
            backoff.resumed();
            if (serverKey.isValid()) {
                serverKey.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
        loop.reportTrouble();
    }

    /** Why a new connection from {@code address} is refused, or null when it is welcome. */
    private String refusal(InetAddress address) {
        if (limits.maxConnections() > 0 && loop.openConnections() + awaitingHeader >= limits.maxConnections()) {
            return tooMany();
        }
        int fromThere = perIp.getOrDefault(address, 0);
        if (limits.maxConnectionsPerIp() > 0 && fromThere >= limits.maxConnectionsPerIp()) {
            return "too many connections from your address (max " + limits.maxConnectionsPerIp() + ")";
        }
        return null;
    }

    private String tooMany() {
        return "too many connections (max " + limits.maxConnections() + "); try again later";
    }

    /**
     * Says why in one 421 line, if the socket takes it at once, and closes. Logged as a count once
     * per interval (a flood of connections must not become a flood of log lines).
     */
    private void refuse(SocketChannel channel, InetSocketAddress from, String why) {
        LOG.log(System.Logger.Level.DEBUG, () -> "refused connection from " + from + ": " + why);
        backoff.refused(why);
        loop.reportTrouble();
        try (channel) {
            channel.write(ByteBuffer.wrap(Reply.of(ReplyCode.SERVICE_CLOSING, why).toBytes()));
        } catch (IOException ignored) {
            // it is being closed anyway
        }
    }
}
