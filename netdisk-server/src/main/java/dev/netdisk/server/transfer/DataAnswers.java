package dev.netdisk.server.transfer;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The items of a data connection ({@link DataSession}) from their line until their answer is
 * written: they are answered in the order named, whatever order their answers become known in,
 * and their bytes held meanwhile are what the connection's flow control counts
 * ({@code docs/PROTOCOL.md} section 6, "Flow control").
 *
 * <p>Past {@link #MAX_PENDING_FILES} items or {@link #MAX_PENDING_BYTES} bytes held for items read
 * and not yet answered ({@link #held}), or while the answers written wait for the peer to read
 * them, the connection is {@link #full}: no new item is read until answers free room. TCP pushes
 * back on the client.
 *
 * <p>Selector thread only.
 */
final class DataAnswers {

    /** Items read and not yet answered before the connection stops reading. */
    static final int MAX_PENDING_FILES = 1024;
    /** Bytes held for items read and not yet answered before the connection stops reading. */
    static final long MAX_PENDING_BYTES = 8L << 20;

    /**
     * What may be written now: the lines (and in-memory bytes) of the answers next in order, as one
     * array, or null; and the item whose file is to be sent after them ({@link FileSender}), or null.
     */
    record Ready(byte[] bytes, DataItem file) {
    }

    /** Nothing to write: the common answer while a file's bytes arrive (no allocation per read). */
    private static final Ready NOTHING = new Ready(null, null);

    /** Items read or being read, in order, until their answers are written. */
    private final ArrayDeque<DataItem> pending = new ArrayDeque<>();
    /** Bytes held for the items in {@link #pending} ({@link #held}). */
    private long pendingBytes;
    /** Answers wait in the connection's queue for the peer to read them. */
    private boolean backlogged;
    private int stored;
    private int sent;
    private int refused;

    /** A new item, in the order named; one refused by its line counts as refused at once. */
    void add(DataItem item) {
        if (item.reply != null) {
            refused++;
        }
        pending.add(item);
        pendingBytes += held(item);
    }

    /** Forgets the last item: an upload cut short by the end of the stream, which is not answered. */
    void dropLast() {
        pendingBytes -= held(pending.removeLast());
    }

    /** Whether no new item may be read now. */
    boolean full() {
        return backlogged || pending.size() >= MAX_PENDING_FILES || pendingBytes >= MAX_PENDING_BYTES;
    }

    /** Whether answers wait for the peer to read them. */
    boolean backlogged() {
        return backlogged;
    }

    /** The connection wrote (or did not write all of) the answers. */
    void backlogged(boolean waiting) {
        backlogged = waiting;
    }

    /** Whether every item named has been answered. */
    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** One item's answer is known; {@code body} is what a download's answer is followed by, or null. */
    void settle(DataItem item, Reply reply, Body body) {
        pendingBytes -= held(item);
        item.reply = reply;
        item.body = body;
        pendingBytes += held(item);
        if (reply.is(ReplyCode.TRANSFER_COMPLETE)) {
            stored++;
        } else if (reply.is(ReplyCode.FILE_STATUS_OK)) {
            sent++;
        } else {
            refused++;
        }
    }

    /**
     * The answers next in order that are known, and forgets them: their lines and in-memory bytes
     * as one array (many small files per system call, copied once), up to and including the line
     * of the first whose bytes are a file, which is returned to be sent next.
     *
     * @param receiving the upload whose bytes are still arriving: not answered before they are in
     */
    Ready takeReady(DataItem receiving) {
        if (pending.isEmpty() || pending.peek().reply == null || pending.peek() == receiving) {
            return NOTHING;
        }
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        DataItem file = null;
        while (file == null && !pending.isEmpty() && pending.peek().reply != null && pending.peek() != receiving) {
            DataItem done = pending.poll();
            pendingBytes -= held(done);
            if (!done.answered) {
                byte[] line = done.reply.toBytes();
                parts.add(line);
                total += line.length;
            }
            if (done.body instanceof Body.Bytes b) {
                byte[] bytes = b.from() == 0 ? b.bytes() : Arrays.copyOfRange(b.bytes(), b.from(), b.bytes().length);
                parts.add(bytes);
                total += bytes.length;
            } else if (done.body instanceof Body.FileRange) {
                file = done;
            }
        }
        if (parts.isEmpty()) {
            return file == null ? NOTHING : new Ready(null, file);
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return new Ready(all, file);
    }

    /** The items still waiting for their answers to be written (the connection closed: their files are closed). */
    List<DataItem> unanswered() {
        return new ArrayList<>(pending);
    }

    /** The counts the last reply gives. */
    String summary() {
        return stored + " stored, " + sent + " sent, " + refused + " refused";
    }

    /**
     * The bytes {@code item} holds while pending: an upload's size while in memory (none once
     * refused, or streamed to its file); a download's bytes once read in memory,
     * {@link ProtocolLimits#CHUNK_BYTES} for an open file (so a connection holds few open files), and
     * {@link ProtocolLimits#SMALL_FILE_BYTES} until looked up.
     */
    static long held(DataItem item) {
        if (item.download) {
            if (item.body instanceof Body.Bytes b) {
                return b.length();
            }
            if (item.body instanceof Body.FileRange) {
                return ProtocolLimits.CHUNK_BYTES;
            }
            return item.reply == null ? ProtocolLimits.SMALL_FILE_BYTES : 0;
        }
        return item.inMemory() && item.reply == null ? item.size : 0;
    }
}
