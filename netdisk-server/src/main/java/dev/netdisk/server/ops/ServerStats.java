package dev.netdisk.server.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a running server, shown by {@code netdisk-server status}.
 *
 * <p>Thread-safe and cheap: the selector thread bumps them on every read and write without locking
 * ({@link LongAdder}); a reader on another thread sees a recent, not necessarily simultaneous,
 * set of values.
 */
public final class ServerStats {

    private final long startMillis = System.currentTimeMillis();
    private final LongAdder connectionsOpen = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder uploadsInFlight = new LongAdder();
    private final LongAdder downloadsInFlight = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public void connectionOpened() {
        connectionsAccepted.increment();
        connectionsOpen.increment();
    }

    public void connectionClosed() {
        connectionsOpen.decrement();
    }

    /** A data connection began ({@code +1}) or ended ({@code -1}) an upload or a download. */
    public void transfer(boolean upload, int delta) {
        (upload ? uploadsInFlight : downloadsInFlight).add(delta);
    }

    /** Bytes read from clients (commands and uploads). */
    public void bytesIn(long n) {
        if (n > 0) {
            bytesIn.add(n);
        }
    }

    /** Bytes written to clients (replies, events and downloads). */
    public void bytesOut(long n) {
        if (n > 0) {
            bytesOut.add(n);
        }
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long connectionsOpen() {
        return connectionsOpen.sum();
    }

    /**
     * A snapshot as ordered key=value pairs (the {@code STATS} answer of the admin socket).
     *
     * @param usersOnline users with at least one logged-in session (from the presence registry)
     */
    public Map<String, String> snapshot(int usersOnline) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pid", Long.toString(ProcessHandle.current().pid()));
        m.put("version", dev.netdisk.server.ops.Version.version());
        m.put("uptime_seconds", Long.toString((System.currentTimeMillis() - startMillis) / 1000));
        m.put("connections", Long.toString(connectionsOpen.sum()));
        m.put("connections_total", Long.toString(connectionsAccepted.sum()));
        m.put("users_online", Integer.toString(usersOnline));
        long up = uploadsInFlight.sum();
        long down = downloadsInFlight.sum();
        m.put("transfers_in_flight", Long.toString(up + down));
        m.put("uploads_in_flight", Long.toString(up));
        m.put("downloads_in_flight", Long.toString(down));
        m.put("bytes_in", Long.toString(bytesIn.sum()));
        m.put("bytes_out", Long.toString(bytesOut.sum()));
        return m;
    }
}
