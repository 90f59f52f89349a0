package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.MessageStore;
import dev.netdisk.server.chat.ReadMarkers;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code UNREAD}: the conversations with messages from others after the user's read marker, with
 * their counts (docs/PROTOCOL.md section 7). The markers are per user, shared by every connection.
 */
final class UnreadCommand implements Command {

    private final MessageStore messages;

    UnreadCommand(MessageStore messages) {
        this.messages = messages;
    }

    @Override
    public String verb() {
        return "UNREAD";
    }

    @Override
    public String syntax() {
        return "UNREAD";
    }

    @Override
    public String summary() {
        return "list the conversations with unread messages";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs.exactly(request, this, 0);
        List<String> lines = new ArrayList<>();
        long total = 0;
        for (ReadMarkers.Unread u : messages.readMarkers().unread(session.requireUser().id())) {
            lines.add(u.conversation() + " unread=" + u.count() + " newest=" + u.newestId() + " read=" + u.readId());
            total += u.count();
        }
        return Reply.multiline(ReplyCode.STATUS, lines, total + " unread in " + lines.size()
                + (lines.size() == 1 ? " conversation" : " conversations"));
    }
}
