package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ReplyCode;
import java.util.Objects;

/**
 * A reply already encoded for the wire, for replies too large to build as strings first (a
 * 10,000-entry {@code LS} is about 800 KB): {@link WireBuilder} writes it, the connection queues
 * the bytes as they are. The bytes hold whole lines, the last one {@code "NNN text\n"} with this
 * code, so that an event can never fall inside the reply. Immutable once built; the array is not
 * copied, so its builder must not be used again.
 *
 * @param code  the reply code of every line
 * @param bytes the UTF-8 lines, each ending in LF
 */
public record EncodedReply(ReplyCode code, byte[] bytes) implements Outcome {

    public EncodedReply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(bytes, "bytes");
    }
}
