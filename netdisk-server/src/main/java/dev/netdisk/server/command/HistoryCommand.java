package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.chat.MessageStore;
import dev.netdisk.server.chat.SentMessages;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code HISTORY user|#group [limit] [before-id]}: the stored messages of a conversation, a page
 * at a time, oldest first; the next older page starts before the first id shown.
 *
 * <p>{@code HISTORY user|#group --clear}: deletes the messages you sent in that conversation, for
 * every side ({@link SentMessages}), which frees your chat history limit; what others sent stays.
 */
final class HistoryCommand implements Command {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final UserStore users;
    private final GroupStore groups;
    private final MessageStore messages;

    HistoryCommand(UserStore users, GroupStore groups, MessageStore messages) {
        this.users = users;
        this.groups = groups;
        this.messages = messages;
    }

    @Override
    public String verb() {
        return "HISTORY";
    }

    @Override
    public String syntax() {
        return "HISTORY user|#group [limit] [before-id] | HISTORY user|#group --clear";
    }

    @Override
    public String summary() {
        return "page through stored messages, newest last (limit " + DEFAULT_LIMIT + ", at most " + MAX_LIMIT
                + "); --clear deletes the ones you sent";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 3, Set.of("--clear"));
        if (args.has("--clear")) {
            if (args.count() > 1) {
                throw new CommandException(ReplyCode.ARGUMENT_ERROR, "--clear takes no limit or before-id");
            }
            return clear(session.requireUser(), args.get(0));
        }
        long limit = args.count() > 1 ? args.nonNegativeLong(1, "limit") : DEFAULT_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "limit must be 1 to " + MAX_LIMIT + ": " + limit);
        }
        long before = args.count() > 2 ? args.nonNegativeLong(2, "before-id") : Long.MAX_VALUE;
        User me = session.requireUser();
        String target = args.get(0);
        List<MessageStore.Message> page;
        if (target.startsWith("#")) {
            GroupStore.Group group = Chats.memberGroup(groups, target, me);
            // A newcomer reads from their join, unless the group shares its earlier history.
            long since = group.sharedHistory() ? 0 : groups.joinedAt(group.id(), me.id()).orElse(Long.MAX_VALUE);
            page = messages.groupHistory(group.id(), (int) limit, before, since);
        } else {
            User other = users.find(target).orElseThrow(() ->
                    new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + target));
            page = messages.privateHistory(me.id(), other.id(), (int) limit, before);
        }
        List<String> lines = new ArrayList<>(page.size());
        for (MessageStore.Message m : page) {
            lines.add(ChatService.historyLine(m));
        }
        return Reply.multiline(ReplyCode.STATUS, lines, page.size() + (page.size() == 1 ? " message" : " messages"));
    }

    /** Deletes what {@code me} sent to {@code target}: a user, or a group (a member's or a former member's). */
    private Outcome clear(User me, String target) throws Exception {
        SentMessages sent = messages.sentMessages();
        SentMessages.Cleared cleared;
        String to;
        if (target.startsWith("#")) {
            GroupStore.Group group = Chats.group(groups, target);
            cleared = sent.clearGroup(me.id(), group.id());
            to = "#" + group.name();
        } else {
            User other = users.find(target).orElseThrow(() ->
                    new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + target));
            cleared = sent.clearPrivate(me.id(), other.id());
            to = other.name();
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "deleted " + cleared.messages()
                + (cleared.messages() == 1 ? " message" : " messages") + " you sent to " + to + " ("
                + cleared.bytes() + " bytes of chat history freed)");
    }
}
