package dev.netdisk.server.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The events pushed to one connection while a {@code LISTEN} reads its backlog: they wait here and
 * follow the backlog, so that a recipient sees chat messages in strictly growing id order. Without
 * it a message stored just after the connection subscribed is pushed at once (a chat writer task)
 * while the backlog, older, is still being read on a worker and only written with the reply later.
 * A held chat message that the backlog carries too is dropped: it is shown once.
 *
 * <p>Selector thread only, except {@link #start}, which the command's worker calls (volatile).
 */
final class HeldEvents {

    private static final byte[] CHAT_PREFIX = "* CHAT ".getBytes(StandardCharsets.US_ASCII);

    private volatile boolean holding;
    private List<byte[]> held;
    private long heldBytes;

    /** From now on events wait, until {@link #release}; any thread. */
    void start() {
        holding = true;
    }

    /**
     * Keeps {@code event} (an encoded line, LF included) when holding; false when not holding, and
     * the caller writes it now.
     *
     * @throws TooMany when more than {@code limit} bytes wait: the connection is dropped as for unread events
     */
    boolean hold(byte[] event, long limit) throws TooMany {
        if (!holding) {
            return false;
        }
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(event);
        heldBytes += event.length;
        if (limit > 0 && heldBytes > limit) {
            throw new TooMany(heldBytes);
        }
        return true;
    }

    /**
     * Stops holding and returns the held events to write now, in the order they came, less the chat
     * messages in {@code replayed} (the backlog's event lines, written just before them).
     */
    List<byte[]> release(List<String> replayed) {
        holding = false;
        List<byte[]> out = held == null ? List.of() : held;
        held = null;
        heldBytes = 0;
        if (out.isEmpty() || replayed.isEmpty()) {
            return out;
        }
        Set<Long> ids = new HashSet<>();
        for (String line : replayed) {
            long id = chatId(line.getBytes(StandardCharsets.UTF_8));
            if (id >= 0) {
                ids.add(id);
            }
        }
        List<byte[]> kept = new ArrayList<>(out.size());
        for (byte[] event : out) {
            if (!ids.contains(chatId(event))) {
                kept.add(event);
            }
        }
        return kept;
    }

    /** Whether events are held now. */
    boolean holding() {
        return holding;
    }

    /** The message id of a {@code * CHAT id ...} line, or -1 for any other event. */
    static long chatId(byte[] line) {
        if (line.length <= CHAT_PREFIX.length) {
            return -1;
        }
        for (int i = 0; i < CHAT_PREFIX.length; i++) {
            if (line[i] != CHAT_PREFIX[i]) {
                return -1;
            }
        }
        long id = 0;
        int i = CHAT_PREFIX.length;
        for (; i < line.length && line[i] >= '0' && line[i] <= '9'; i++) {
            id = id * 10 + (line[i] - '0');
        }
        return i == CHAT_PREFIX.length ? -1 : id;
    }

    /** Too many bytes held: the peer's backlog and live messages outgrew the output limit. */
    static final class TooMany extends Exception {
        TooMany(long bytes) {
            super(bytes + " bytes of events held during LISTEN");
        }
    }
}
