package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;

/**
 * A command failed in a way that has a precise reply: thrown by handlers, turned into the reply
 * by the dispatcher. For failures of the file tree, handlers throw the {@code java.nio.file}
 * exceptions instead and {@code dev.netdisk.server.errors.ErrorReplies} maps them.
 */
public class CommandException extends Exception {
    private final ReplyCode code;

    public CommandException(ReplyCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ReplyCode code() {
        return code;
    }

    public Reply toReply() {
        return Reply.of(code, getMessage());
    }
}
