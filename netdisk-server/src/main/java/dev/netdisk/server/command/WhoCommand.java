package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.FriendStore;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import java.util.ArrayList;
import java.util.List;

/** {@code WHO}: the friends who are online now. */
final class WhoCommand implements Command {

    private final Presence presence;
    private final FriendStore friends;

    WhoCommand(Presence presence, FriendStore friends) {
        this.presence = presence;
        this.friends = friends;
    }

    @Override
    public String verb() {
        return "WHO";
    }

    @Override
    public String syntax() {
        return "WHO";
    }

    @Override
    public String summary() {
        return "list the friends who are online";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs.exactly(request, this, 0);
        List<String> online = new ArrayList<>();
        for (User friend : friends.friends(session.requireUser().id())) {
            if (presence.isOnline(friend.id())) {
                online.add(friend.name());
            }
        }
        return Reply.multiline(ReplyCode.STATUS, online, online.size() + " online");
    }
}
