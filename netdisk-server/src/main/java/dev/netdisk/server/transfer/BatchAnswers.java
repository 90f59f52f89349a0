package dev.netdisk.server.transfer;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of a batch ({@link BatchTransfer}) from their line until their answer is written: they
 * are answered in the order named, whatever order their answers become known in, and their bytes
 * held meanwhile are what the batch's flow control counts ({@code docs/PROTOCOL.md} section 6,
 * "Flow control").
 *
 * <p>Past {@link #MAX_PENDING_FILES} items or {@link #MAX_PENDING_BYTES} bytes held for items read
 * and not yet answered (an upload holds its bytes; a download holds
 * {@link ProtocolLimits#SMALL_FILE_BYTES} until its bytes are read, then their size), or while the
 * answers written wait for the peer to read them, the batch is {@link #full}: no new item is read
 * until answers free room. TCP pushes back on the client.
 *
 * <p>Selector thread only.
 */
final class BatchAnswers {

    /** Items read and not yet answered before the connection stops reading. */
    static final int MAX_PENDING_FILES = 1024;
    /** Bytes held for items read and not yet answered before the connection stops reading. */
    static final long MAX_PENDING_BYTES = 8L << 20;

    /** Items read or being read, in order, until their answers are written. */
    private final ArrayDeque<BatchItem> pending = new ArrayDeque<>();
    /** Bytes held for the items in {@link #pending} ({@link #held}). */
    private long pendingBytes;
    /** Answers wait in the connection's queue for the peer to read them. */
    private boolean backlogged;
    private int stored;
    private int sent;
    private int refused;

    /** A new item, in the order named; one refused by its line counts as refused at once. */
    void add(BatchItem item) {
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

    /** One item's answer is known; {@code body} is a download's bytes, sent after it. */
    void settle(BatchItem item, Reply reply, byte[] body) {
        if (item.download) {
            pendingBytes -= held(item);
            item.reply = reply;
            item.content = body;
            pendingBytes += held(item);
        } else {
            item.reply = reply;
        }
        if (reply.is(ReplyCode.TRANSFER_COMPLETE)) {
            stored++;
        } else if (reply.is(ReplyCode.FILE_STATUS_OK)) {
            sent++;
        } else {
            refused++;
        }
    }

    /**
     * The answers next in order that are known, lines and a download's bytes, as one array (many
     * small files per system call, copied once), and forgets them; null when the next is not known.
     *
     * @param receiving the upload whose bytes are still arriving: not answered before they are in
     */
    byte[] takeReady(BatchItem receiving) {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        while (!pending.isEmpty() && pending.peek().reply != null && pending.peek() != receiving) {
            BatchItem done = pending.poll();
            pendingBytes -= held(done);
            byte[] line = done.reply.toBytes();
            parts.add(line);
            total += line.length;
            if (done.download && done.content != null) {
                parts.add(done.content);
                total += done.content.length;
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** The counts the last reply gives. */
    String summary() {
        return stored + " stored, " + sent + " sent, " + refused + " refused";
    }

    /**
     * The bytes {@code item} holds while pending: an upload's size (none once refused: its bytes
     * are dropped); a download's size once read, and {@link ProtocolLimits#SMALL_FILE_BYTES} until then.
     */
    static long held(BatchItem item) {
        if (item.download) {
            return item.content != null ? item.content.length : item.reply == null ? ProtocolLimits.SMALL_FILE_BYTES : 0;
        }
        return item.content == null ? 0 : item.size;
    }
}
