package dev.netdisk.server.net;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.command.Command;
import dev.netdisk.server.command.CommandRegistry;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.protocol.Deferred;
import dev.netdisk.server.protocol.Delayed;
import dev.netdisk.server.protocol.Request;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Routes a request to its handler: refuses unknown verbs, enforces the login gate, and runs the
 * handler either on the selector thread (cheap commands) or on the worker pool, handing the
 * outcome back to the selector thread.
 *
 * <p>{@link #dispatch} runs on the selector thread.
 */
final class Dispatcher {

    private final CommandRegistry registry;
    private final ExecutorService workers;
    private final EventLoop loop;

    Dispatcher(CommandRegistry registry, ExecutorService workers, EventLoop loop) {
        this.registry = registry;
        this.workers = workers;
        this.loop = loop;
    }

    void dispatch(Connection connection, Request request) {
        Optional<Command> found = registry.find(request.verb());
        if (found.isEmpty()) {
            connection.send(Reply.of(ReplyCode.SYNTAX_ERROR, "unknown command: " + abbreviate(request.verb())
                    + " (HELP lists the commands)"));
            return;
        }
        Command command = found.get();
        if (command.needsLogin() && !connection.session().isLoggedIn()) {
            connection.send(Reply.of(ReplyCode.NOT_LOGGED_IN, "not logged in; LOGIN first"));
            return;
        }
        if (command.needsTls() && !connection.session().isTls() && loop.requiresTls(connection.address())) {
            connection.send(Reply.of(ReplyCode.POLICY_DENIED, command.verb() + " needs TLS: send AUTH TLS first"));
            return;
        }
        // A data connection's one command decides its fate: on failure it closes. DATA refused on a
        // logged-in control connection (503) leaves that connection as it was.
        boolean closeOnReply = command.verb().equals("DATA") && !connection.session().isLoggedIn();
        if (command.runsOnSelector()) {
            connection.commands().deliver(run(command, connection, request), closeOnReply);
            return;
        }
        Outcome fast = tryOnSelector(command, connection, request);
        if (fast instanceof Deferred deferred) {
            // Completed later by a selector task, after this one has marked the connection busy.
            deferred.whenComplete(o -> connection.commands().complete(o, closeOnReply), loop::execute);
            connection.commands().markBusy();
            return;
        }
        if (fast != null) {
            connection.commands().deliver(fast, closeOnReply);
            return;
        }
        try {
            workers.execute(() -> {
                Outcome outcome = run(command, connection, request);
                if (outcome instanceof Delayed delayed) {
                    loop.schedule(() -> connection.commands().complete(delayed.outcome(), closeOnReply), delayed.delay());
                } else if (outcome instanceof Deferred deferred) {
                    deferred.whenComplete(o -> connection.commands().complete(o, closeOnReply), loop::execute);
                } else {
                    loop.execute(() -> connection.commands().complete(outcome, closeOnReply));
                }
            });
            // Safe after execute(): the outcome comes back through this same thread's task queue.
            connection.commands().markBusy();
        } catch (RejectedExecutionException e) {
            connection.commands().deliver(Reply.of(ReplyCode.SERVICE_CLOSING, "server busy or shutting down"), true);
        }
    }

    /**
     * The command's selector-thread path: its outcome, a failure's reply, or null for "needs a worker".
     * Errors are answered too ({@code 451}, logged): a class missing because the jar was replaced under
     * the running server, or memory running out, must not leave the client waiting for a reply.
     */
    private static Outcome tryOnSelector(Command command, Connection connection, Request request) {
        try {
            return command.tryOnSelector(connection.session(), request);
        } catch (Exception | LinkageError | VirtualMachineError e) {
            return ErrorReplies.toReply(command.verb(), e);
        }
    }

    private static Outcome run(Command command, Connection connection, Request request) {
        try {
            return command.execute(connection.session(), request);
        } catch (Exception | LinkageError | VirtualMachineError e) {
            return ErrorReplies.toReply(command.verb(), e);
        }
    }

    private static String abbreviate(String verb) {
        return verb.length() <= 32 ? verb : verb.substring(0, 32) + "...";
    }
}
