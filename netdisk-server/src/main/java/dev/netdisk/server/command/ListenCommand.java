package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.ReplyThenEvents;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.util.List;
import java.util.Set;

/**
 * {@code LISTEN [after-id]} and {@code LISTEN OFF}: this connection wants events (docs/PROTOCOL.md
 * section 7). A listening connection makes its user online, gets chat messages and other events
 * pushed, and takes the backlog: the reply is followed by the messages kept while no connection of
 * the user listened, and with {@code after-id} (a client resuming after a broken connection) every
 * message to the user after that id. The reply says how often to send a heartbeat ({@code NOOP})
 * so that the idle timeout never closes a listener.
 */
final class ListenCommand implements Command {

    private final ChatService chat;
    private final Presence presence;
    private final Limits limits;

    ListenCommand(ChatService chat, Presence presence, Limits limits) {
        this.chat = chat;
        this.presence = presence;
        this.limits = limits;
    }

    @Override
    public String verb() {
        return "LISTEN";
    }

    @Override
    public String syntax() {
        return "LISTEN [after-id] | LISTEN OFF";
    }

    @Override
    public String summary() {
        return "receive events on this connection: be online, get pushed and kept messages";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 0, 1, Set.of());
        User me = session.requireUser();
        if (args.count() == 1 && args.get(0).equalsIgnoreCase("off")) {
            presence.unsubscribe(me, session);
            return Reply.of(ReplyCode.FILE_ACTION_OK, "not listening for events");
        }
        long after = args.count() == 1 ? args.nonNegativeLong(0, "after-id") : -1;
        List<String> backlog = chat.startListening(me, session, after);
        return new ReplyThenEvents(Reply.of(ReplyCode.FILE_ACTION_OK, "heartbeat=" + heartbeatSeconds(limits)
                + " backlog=" + backlog.size() + " listening for events"), backlog);
    }

    /** How often a listener should send {@code NOOP}: a third of the idle timeout, at least a second. */
    static long heartbeatSeconds(Limits limits) {
        return Math.max(1, limits.idleTimeout().toSeconds() / 3);
    }
}
