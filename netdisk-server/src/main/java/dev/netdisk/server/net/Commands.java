package dev.netdisk.server.net;

import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.EncodedReply;
import dev.netdisk.server.protocol.ReplyThenEvents;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.protocol.StartTls;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.transfer.DataTransfer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The control role of a {@link Connection}: lines decoded from its input, run one at a time through
 * the {@link Dispatcher}, and each outcome written back in order: a reply, an encoded reply, a reply
 * followed by its backlog of events, {@code AUTH TLS}'s {@code 234}, or a transfer that takes the
 * connection over.
 *
 * <p>While a command runs on a worker, further lines wait in the {@link CommandInput}; when its
 * buffer is full the connection stops reading (TCP pushes back). Selector thread only: the
 * dispatcher hands outcomes of workers back through the loop.
 */
final class Commands {

    private static final System.Logger LOG = System.getLogger(Commands.class.getName());

    private final Connection connection;
    private final CommandInput in;
    private final Dispatcher dispatcher;
    private final Presence presence;
    /** Events pushed while a LISTEN reads its backlog: they follow it. */
    private final HeldEvents held = new HeldEvents();
    /** Past this many bytes of held events the connection is dropped, as for events it leaves unread. */
    private final long maxHeldBytes;
    private boolean busy;
    /** Built once: {@link #process} runs on every read of a control connection, on the selector thread. */
    private final BooleanSupplier takesLine = this::takesLine;
    private final Consumer<LineDecoder.Item> dispatchLine = this::dispatch;

    Commands(Connection connection, int maxLineBytes, Dispatcher dispatcher, Presence presence, long maxHeldBytes) {
        this.connection = connection;
        this.in = new CommandInput(maxLineBytes);
        this.dispatcher = dispatcher;
        this.presence = presence;
        this.maxHeldBytes = maxHeldBytes;
    }

    /** The bytes read and not yet decoded. */
    CommandInput input() {
        return in;
    }

    /** Whether a command is running and its outcome not yet delivered. */
    boolean busy() {
        return busy;
    }

    /** Marks a command as running elsewhere; lines wait until {@link #complete}. */
    void markBusy() {
        busy = true;
    }

    /**
     * Decodes and dispatches buffered lines until one command is in flight, the connection takes no
     * more commands or the input runs out; starts TLS if a {@code 234} was just written; and after the
     * peer's end of stream, once every complete line it sent is answered, lets the connection close
     * (a client may half-close after its last command, as {@code nc -N} does).
     */
    void process() {
        in.decode(takesLine, dispatchLine);
        connection.beginTlsIfDue();
        if (in.ended() && !busy && connection.isControl() && !connection.isClosed()) {
            connection.closeAfterReply();
        }
    }

    private boolean takesLine() {
        return !busy && connection.takesCommands();
    }

    private void dispatch(LineDecoder.Item item) {
        if (item instanceof LineDecoder.Invalid invalid) {
            connection.send(Reply.of(ReplyCode.SYNTAX_ERROR, invalid.message()));
        } else {
            String text = ((LineDecoder.Line) item).text();
            if (!text.isBlank()) {
                dispatcher.dispatch(connection, Request.parse(text));
            }
        }
    }

    /**
     * Delivers the outcome of a command that ran on a worker, then goes on with any lines that
     * arrived meanwhile.
     *
     * @param closeOnReply close once the reply is written (a failed {@code DATA})
     */
    void complete(Outcome outcome, boolean closeOnReply) {
        busy = false;
        connection.touch();
        deliver(outcome, closeOnReply);
        if (!connection.isClosed() && connection.isControl()) {
            process();
        }
        if (!connection.isClosed()) {
            connection.interestChanged();
        }
    }

    /** Queues a command's outcome, or hands the connection to the transfer it started. */
    void deliver(Outcome outcome, boolean closeOnReply) {
        if (connection.isClosed()) {
            // The peer left while the command ran: undo what it set up (a LISTEN's presence, a transfer).
            connection.session().user().ifPresent(user -> presence.remove(user, connection.session()));
            if (outcome instanceof DataTransfer t) {
                t.onClosed();
            }
            return;
        }
        if (outcome == StartTls.INSTANCE) {
            connection.send(Reply.of(ReplyCode.SECURITY_OK, "AUTH TLS accepted; start the TLS handshake"));
            connection.startTlsAfterReply();
        } else if (outcome instanceof DataTransfer t) {
            connection.takeOver(t, in.buffer()); // bytes that came after the DATA line belong to the transfer
        } else if (outcome instanceof EncodedReply r) {
            connection.queue(r.bytes());
        } else if (outcome instanceof ReplyThenEvents r) {
            connection.send(r.reply());
            for (String event : r.events()) {
                // The backlog answering this LISTEN: part of the reply, not a flood.
                connection.queue((event + "\n").getBytes(StandardCharsets.UTF_8));
            }
            releaseHeld(r.events());
        } else {
            Reply reply = (Reply) outcome;
            connection.send(reply);
            releaseHeld(List.of());
            if (reply.closesConnection() || closeOnReply) {
                connection.closeAfterReply();
            }
        }
    }

    /** An event line (encoded, LF included) for this control connection: written now, or held while a LISTEN runs. */
    void event(byte[] bytes) {
        try {
            if (held.hold(bytes, maxHeldBytes)) {
                return;
            }
        } catch (HeldEvents.TooMany e) {
            LOG.log(System.Logger.Level.WARNING, () -> "dropping " + connection.session().remoteAddress() + ": " + e.getMessage());
            connection.close("output limit exceeded");
            return;
        }
        connection.queueEvent(bytes);
    }

    /** Any thread: events wait until the running command's outcome is written, then follow it. */
    void holdEvents() {
        held.start();
    }

    /** Writes the events held while the command ran, after its reply, less those its backlog carried. */
    private void releaseHeld(List<String> replayed) {
        if (held.holding()) {
            for (byte[] event : held.release(replayed)) {
                connection.queueEvent(event);
            }
        }
    }
}
