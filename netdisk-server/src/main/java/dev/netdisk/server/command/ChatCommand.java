package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.auth.RateLimiter;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.User;
import dev.netdisk.server.store.UserStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code CHAT user|#group message}: sends the rest of the line to a friend or to a group's
 * members. Online recipients get a {@code * CHAT} event at once on every connection; offline ones
 * get it at their next login. Every message is kept for {@code HISTORY}.
 *
 * <p>The checks run on the selector thread when memory answers them (a friend of the online
 * sender, a group whose members are cached), else on a worker; storing and delivering is the chat
 * writer's, which answers {@code 250} once the message is durable
 * ({@link dev.netdisk.server.chat.ChatService#submit}).
 */
final class ChatCommand implements Command {

    /** The longest message, in UTF-8 bytes. */
    static final int MAX_MESSAGE_BYTES = 4096;

    private final ChatService chat;
    private final UserStore users;
    private final RateLimiter<Long> chatRate;
    private final Limits limits;

    ChatCommand(ChatService chat, UserStore users, RateLimiter<Long> chatRate, Limits limits) {
        this.chat = chat;
        this.users = users;
        this.chatRate = chatRate;
        this.limits = limits;
    }

    @Override
    public String verb() {
        return "CHAT";
    }

    @Override
    public String syntax() {
        return "CHAT user|#group message";
    }

    @Override
    public String summary() {
        return "send a message (the rest of the line) to a friend or a group";
    }

    /** A parsed {@code CHAT} line: the target as typed and the message. */
    private record Parsed(String to, String message) {
    }

    private Parsed parse(Request request) throws CommandException {
        String rest = request.rest();
        int space = 0;
        while (space < rest.length() && rest.charAt(space) != ' ' && rest.charAt(space) != '\t') {
            space++;
        }
        String to = rest.substring(0, space);
        String message = rest.substring(space).stripLeading();
        if (to.isEmpty() || message.isBlank()) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "missing argument; usage: " + syntax());
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "message too long (max " + MAX_MESSAGE_BYTES + " bytes)");
        }
        return new Parsed(to, message);
    }

    /**
     * On the selector thread, when the target is a friend or a group whose members are cached: no
     * worker, no query. Anything else (an unknown name, a refusal to explain) goes to {@link #execute}.
     */
    @Override
    public Outcome tryOnSelector(Session session, Request request) throws Exception {
        Parsed p = parse(request);
        User me = session.requireUser();
        if (p.to().startsWith("#")) {
            String name = p.to().substring(1).toLowerCase(Locale.ROOT);
            Optional<List<User>> members = chat.cachedMembers(name);
            if (members.isEmpty() || members.get().stream().noneMatch(u -> u.id() == me.id())) {
                return null;
            }
            GroupStore.Group group = chat.group(name).orElseThrow();
            checkRate(me);
            List<User> others = members.get().stream().filter(u -> u.id() != me.id()).toList();
            return chat.submit(me, 0, group.id(), "#" + group.name(), p.message(), others);
        }
        Optional<User> friend = chat.knownFriend(me.id(), p.to().toLowerCase(Locale.ROOT));
        if (friend.isEmpty()) {
            return null;
        }
        checkRate(me);
        return chat.submit(me, friend.get().id(), 0, friend.get().name(), p.message(), List.of(friend.get()));
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        Parsed p = parse(request);
        String to = p.to();
        String message = p.message();
        User me = session.requireUser();
        if (to.startsWith("#")) {
            String name = Chats.groupName(to);
            GroupStore.Group group = chat.group(name).orElseThrow(() ->
                    new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such group: #" + name));
            // One list of members answers both "may I send here" and "to whom".
            List<User> members = chat.members(group.id());
            if (members.stream().noneMatch(u -> u.id() == me.id())) {
                throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "you are not a member of #" + group.name());
            }
            checkRate(me);
            List<User> others = members.stream().filter(u -> u.id() != me.id()).toList();
            return chat.submit(me, 0, group.id(), "#" + group.name(), message, others);
        } else {
            User target = users.find(to).orElseThrow(() ->
                    new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such user: " + to));
            if (target.id() != me.id() && !chat.areFriends(me.id(), target.id())) {
                throw new CommandException(ReplyCode.FILE_UNAVAILABLE, target.name()
                        + " is not your friend; FRIEND ADD " + target.name() + " first");
            }
            checkRate(me);
            return chat.submit(me, target.id(), 0, target.name(), message, List.of(target));
        }
    }

    private void checkRate(User me) throws CommandException {
        if (limits.chatPerSecond() > 0 && !chatRate.tryAcquire(me.id())) {
            throw new CommandException(ReplyCode.FILE_BUSY, "rate limit exceeded: slow down and send again shortly");
        }
    }
}
