package dev.netdisk.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connection from a trusted proxy before its PROXY protocol header is whole: the header's bytes
 * are read, never one past it ({@link ProxyHeader#parse} says how many may be), so the client's
 * first command stays in the socket for the {@link Connection} that follows. Nothing is sent to the
 * proxy meanwhile: the greeting goes out once the client's address is known, as ProFTPD's
 * mod_proxy_protocol does, because per-address limits and the loopback exemption depend on it.
 *
 * <p>A header that is malformed, or not whole within the deadline, closes the connection without a
 * word: the peer is a proxy, and there is no client to answer yet. Selector thread only.
 *
 * <p>Memory: {@link ProxyHeader#MAX_LENGTH} bytes while the header is read, nothing after.
 */
final class ProxyHeaderReader {

    private static final System.Logger LOG = System.getLogger(ProxyHeaderReader.class.getName());

    /** What happens once the header is read. */
    interface Done {
        /**
         * The header named {@code client} (the proxy's own address when it named none). The key is
         * still registered, its interest cleared and its attachment this reader's.
         */
        void accepted(SocketChannel channel, InetSocketAddress client) throws IOException;

        /** The connection was closed without a header, for the reason {@code why} (for the log). */
        void dropped(String why);
    }

    private final SocketChannel channel;
    private final SelectionKey key;
    private final InetSocketAddress proxy;
    private final Done done;
    // Released once the header is read: the deadline's timer keeps this reader until it is due.
    private byte[] header = new byte[ProxyHeader.MAX_LENGTH];
    private ByteBuffer buffer = ByteBuffer.wrap(header).limit(0);
    private boolean finished;

    ProxyHeaderReader(SocketChannel channel, SelectionKey key, InetSocketAddress proxy, Done done) {
        this.channel = channel;
        this.key = key;
        this.proxy = proxy;
        this.done = done;
    }

    /** The key was readable: reads what it may of the header, and hands the connection on once it is whole. */
    void onReadable() {
        try {
            while (!finished) {
                ProxyHeader.Step step = ProxyHeader.parse(header, buffer.position());
                if (step instanceof ProxyHeader.NeedMore more) {
                    buffer.limit(buffer.position() + more.bytes());
                    int n = channel.read(buffer);
                    if (n < 0) {
                        drop("closed before its PROXY header was whole");
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                } else if (step instanceof ProxyHeader.Done whole) {
                    finished = true;
                    header = null;
                    buffer = null;
                    key.interestOps(0);
                    done.accepted(channel, whole.client() != null ? whole.client() : proxy);
                } else {
                    drop(((ProxyHeader.Invalid) step).why());
                }
            }
        } catch (IOException e) {
            drop(String.valueOf(e.getMessage()));
        }
    }

    /** The deadline passed: closes the connection unless its header was read. */
    void expire() {
        if (!finished) {
            drop("no whole PROXY header in time");
        }
    }

    private void drop(String why) {
        if (finished) {
            return;
        }
        finished = true;
        header = null;
        buffer = null;
        // Counted and logged once per interval by the acceptor; each one only at DEBUG.
        LOG.log(System.Logger.Level.DEBUG, () -> "closing connection from proxy " + proxy + ": " + why);
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        done.dropped(why);
    }
}
