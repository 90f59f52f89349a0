package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;

/**
 * The handler of one protocol verb. Handlers are stateless and shared by every connection; what
 * varies per connection is in the {@link Session}.
 *
 * <p>A handler reports failure by throwing: {@link dev.netdisk.server.protocol.CommandException}
 * for a precise reply, a {@code java.nio.file} exception for the file tree, anything else for a
 * {@code 451}. {@link dev.netdisk.server.errors.ErrorReplies} turns each into its reply.
 */
public interface Command {

    /** The verb, upper case. */
    String verb();

    /** The syntax, as {@code HELP} shows it: {@code "CD path"}. */
    String syntax();

    /** One line saying what the command does. */
    String summary();

    /** Whether the dispatcher refuses the command with {@code 530} before a login. */
    default boolean needsLogin() {
        return true;
    }

    /**
     * Whether the command carries a secret (a password, a token, a ticket) and so is refused with
     * {@code 534} on a connection that has not started TLS, unless the server exempts it
     * (loopback, TLS switched off). The dispatcher enforces it.
     */
    default boolean needsTls() {
        return false;
    }

    /**
     * Whether the command is cheap and never blocks, so it runs on the selector thread itself
     * instead of going through the worker pool. Only for commands that touch neither the
     * database nor the disk.
     */
    default boolean runsOnSelector() {
        return false;
    }

    /**
     * Runs the command on the selector thread when it can be done there without blocking (its
     * checks answered from memory); returns null when it needs a worker, and {@link #execute}
     * then runs there. Must not block.
     *
     * @throws Exception a failure, mapped to a reply by {@link dev.netdisk.server.errors.ErrorReplies}
     */
    default Outcome tryOnSelector(Session session, Request request) throws Exception {
        return null;
    }

    /**
     * Executes the command.
     *
     * @return the reply, or a transfer that takes over the connection
     * @throws Exception a failure, mapped to a reply by {@link dev.netdisk.server.errors.ErrorReplies}
     */
    Outcome execute(Session session, Request request) throws Exception;
}
