package dev.netdisk.server.net;

import dev.netdisk.protocol.LineDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The command side of a connection's input: bytes read and not yet decoded, the line decoder, the
 * peer's end of stream, and since when a line has been begun and not finished (for the partial-line
 * timeout). Selector thread only.
 */
final class CommandInput {

    /**
     * Input buffer, in bytes. Small: the decoder keeps a partial line itself, so this only holds bytes
     * not yet decoded (pipelined commands waiting for the one in flight; beyond it they wait in the
     * kernel). An idle connection costs this much and little more.
     */
    static final int INPUT_BYTES = 4 * 1024;

    private final ByteBuffer in = ByteBuffer.allocate(INPUT_BYTES);
    private final LineDecoder decoder;
    private boolean ended;
    private long lineStartedNanos;

    /** @param maxLineBytes longest line accepted, LF included; longer lines decode as {@link LineDecoder.Invalid} */
    CommandInput(int maxLineBytes) {
        this.decoder = new LineDecoder(maxLineBytes);
    }

    /**
     * Reads what the channel has now into the buffer.
     *
     * @return bytes read, 0 if none, -1 at the peer's end of stream (then {@link #ended()} holds)
     * @throws IOException when the read fails (a reset, a TLS error)
     */
    int readFrom(ReadableByteChannel channel) throws IOException {
        int n = channel.read(in);
        if (n < 0) {
            ended = true;
        }
        return n;
    }

    /** The peer ended its output: no more commands come, but those received are still answered. */
    boolean ended() {
        return ended;
    }

    /** Whether the buffer can take more bytes (if not, the connection stops reading: TCP pushes back). */
    boolean hasRoom() {
        return in.hasRemaining();
    }

    /** Whether bytes wait undecoded (lines held back while a command ran or the client did not read). */
    boolean hasBuffered() {
        return in.position() > 0;
    }

    /**
     * Decodes buffered lines one at a time while {@code more} holds, handing each line (or each
     * {@link LineDecoder.Invalid} one) to {@code handler}; bytes of an unfinished line stay for later.
     */
    void decode(BooleanSupplier more, Consumer<LineDecoder.Item> handler) {
        in.flip();
        try {
            while (more.getAsBoolean()) {
                LineDecoder.Item item = decoder.next(in);
                if (item == null) {
                    break;
                }
                handler.accept(item);
            }
        } finally {
            in.compact();
        }
        if (!decoder.hasPartialLine()) {
            lineStartedNanos = 0;
        } else if (lineStartedNanos == 0) {
            lineStartedNanos = System.nanoTime();
        }
    }

    /** How long, in nanoseconds, a begun line has waited for its end at {@code now}; 0 when none has. */
    long partialLineAge(long now) {
        return lineStartedNanos == 0 ? 0 : now - lineStartedNanos;
    }

    /**
     * The buffer itself, in write mode, for whoever takes the connection over: a transfer reads the
     * bytes that followed its {@code DATA} line from it.
     */
    ByteBuffer buffer() {
        return in;
    }

    /**
     * Takes the bytes that followed {@code AUTH TLS} (the start of the client's handshake) out of the
     * buffer: returns them in read mode, and leaves the buffer empty.
     */
    ByteBuffer takeForTls() {
        in.flip();
        ByteBuffer taken = ByteBuffer.allocate(in.remaining()).put(in).flip();
        in.clear();
        return taken;
    }
}
