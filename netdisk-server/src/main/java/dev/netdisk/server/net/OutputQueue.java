package dev.netdisk.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;

/**
 * The bytes a connection has queued for its peer and not yet written: whole replies and event
 * lines, in order, each kept as one buffer so an event never lands inside a reply.
 *
 * <p>It counts two totals. All queued bytes ({@link #bytes}) decide when the connection stops
 * reading commands, so replies cannot pile up. The event bytes alone ({@link #eventBytes}) are
 * bounded by the connection's limit, since a client that never reads lets events pile up without
 * end while its own commands have stopped.
 *
 * <p>Selector thread only.
 */
final class OutputQueue {

    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    /** For each buffer: whether it is an event (true) or part of a reply (false). */
    private final ArrayDeque<Boolean> isEvent = new ArrayDeque<>();
    private long bytes;
    private long eventBytes;

    /** Queues {@code data} (not copied: the caller gives it up). */
    void add(byte[] data, boolean event) {
        buffers.add(ByteBuffer.wrap(data));
        isEvent.add(event);
        bytes += data.length;
        if (event) {
            eventBytes += data.length;
        }
    }

    /**
     * Writes what {@code channel} takes now, in order.
     *
     * @return the number of bytes written
     * @throws IOException when the write fails (the peer reset the connection)
     */
    long writeTo(WritableByteChannel channel) throws IOException {
        long written = 0;
        while (!buffers.isEmpty()) {
            ByteBuffer head = buffers.peek();
            int n = channel.write(head);
            written += n;
            bytes -= n;
            if (head.hasRemaining()) {
                break;
            }
            buffers.poll();
            if (isEvent.poll()) {
                eventBytes -= head.limit();
            }
        }
        return written;
    }

    boolean isEmpty() {
        return buffers.isEmpty();
    }

    /** Queued bytes, replies and events, in bytes. */
    long bytes() {
        return bytes;
    }

    /** Queued bytes of events alone, in bytes. */
    long eventBytes() {
        return eventBytes;
    }
}
