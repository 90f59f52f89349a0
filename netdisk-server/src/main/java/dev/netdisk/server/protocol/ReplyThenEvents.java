package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import java.util.List;

/**
 * A reply followed by event lines, written in that order: how {@code LOGIN} hands over the
 * messages that waited while the user was offline, after its {@code 230}.
 *
 * @param events event lines without their LF, each starting with {@code "* "}
 */
public record ReplyThenEvents(Reply reply, List<String> events) implements Outcome {
    public ReplyThenEvents {
        events = List.copyOf(events);
    }
}
