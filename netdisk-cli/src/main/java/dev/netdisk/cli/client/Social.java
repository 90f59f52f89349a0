package dev.netdisk.cli.client;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ChatText;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.List;

/**
 * The social requests of one {@link NetdiskClient} ({@code client.social()}): chat messages and
 * their history, friends, groups, and who is there. Messages and friend requests sent to you
 * arrive as events, on the client's {@link EventListener}.
 *
 * <p>Errors and threading are those of {@link NetdiskClient}: a refusal is a
 * {@link ReplyException} with its reply code; thread-safe, one command at a time.
 */
public final class Social {

    private final NetdiskClient client;

    Social(NetdiskClient client) {
        this.client = client;
    }

    /**
     * Sends a chat message ({@code CHAT}) to a friend, or with {@code #group} to a group you are in.
     *
     * The message is sent as typed: it may hold several lines, quotes and backslashes, which travel
     * escaped ({@link ChatText}).
     *
     * @param message at most 4096 bytes once escaped; line breaks and TABs but no other control character
     * @throws IllegalArgumentException for another control character, or a target that is not one word
     * @throws ReplyException 550 if there is no such user or group, or they are not your friend;
     *                               450 when over the rate limit; 501 for an empty or too long message
     */
    public ChatReceipt chat(String target, String message) throws IOException {
        checkTarget(target);
        Reply reply = client.request("CHAT " + target + " " + ChatText.escape(message)).expect(250);
        return new ChatReceipt(Replies.optionalLong(reply, "id"), (int) Replies.optionalLong(reply, "delivered"),
                (int) Replies.optionalLong(reply, "stored"));
    }

    /**
     * Asks for events on this connection ({@code LISTEN}): the user is online while a connection
     * listens, pushed messages and friend events arrive on the {@link EventListener}, and the
     * messages kept while no connection listened follow the reply (then they count as delivered).
     *
     * @param afterId when resuming after a broken connection, the newest message id already seen:
     *                every later message to you comes again (drop the ids you have); {@code null} for none
     */
    public Listening listen(Long afterId) throws IOException {
        Reply reply = client.request(afterId == null ? "LISTEN" : "LISTEN " + afterId).expect(250);
        return new Listening(Replies.optionalLong(reply, "heartbeat"), (int) Replies.optionalLong(reply, "backlog"));
    }

    /** Stops events on this connection ({@code LISTEN OFF}). */
    public void stopListening() throws IOException {
        client.request("LISTEN OFF").expect(250);
    }

    /** The conversations with messages you have not read ({@code UNREAD}), private ones first. */
    public List<Unread> unread() throws IOException {
        return Replies.lines(client.request("UNREAD").expect(211), Unread::parse);
    }

    /**
     * Marks a conversation read up to message {@code id}, or its newest for {@code null} ({@code READ});
     * the marker is shared by all your connections and never moves back.
     *
     * @return the read marker now
     */
    public long markRead(String target, Long id) throws IOException {
        Reply reply = client.request("READ " + Arguments.quote(target) + (id == null ? "" : " " + id)).expect(250);
        return Replies.optionalLong(reply, "read");
    }

    /** A chat target is one word: a user or {@code #group} name, never quoted on the wire. */
    private static void checkTarget(String target) {
        Arguments.checkNoLineBreak("chat target", target);
        if (target.isEmpty() || target.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '"')) {
            throw new IllegalArgumentException("not a user or group name: " + target);
        }
    }

    /**
     * Stored messages between you and {@code user}, or of {@code #group} ({@code HISTORY}), oldest first.
     *
     * @param limit    how many of the newest to return, 1 to 500
     * @param beforeId only messages with a smaller id (to page back), or {@code null} for no bound
     */
    public List<ChatMessage> history(String target, int limit, Long beforeId) throws IOException {
        String line = "HISTORY " + Arguments.quote(target) + " " + limit + (beforeId == null ? "" : " " + beforeId);
        return Replies.lines(client.request(line).expect(211), ChatMessage::parse);
    }

    /**
     * Deletes the messages you sent to {@code user} or {@code #group}, for both sides, freeing your
     * chat history limit ({@code HISTORY target --clear}); what others sent stays.
     *
     * @return the server's text, such as {@code "deleted 3 messages you sent to bob (180 bytes of chat history freed)"}
     * @throws ReplyException 550 if there is no such user or group
     */
    public String clearHistory(String target) throws IOException {
        return client.request("HISTORY " + Arguments.quote(target) + " --clear").expect(250).text();
    }

    /**
     * Asks {@code user} to be your friend, or accepts their pending request ({@code FRIEND ADD}).
     *
     * @return the server's text, such as {@code "friend request sent to bob"}
     * @throws ReplyException 521 if already friends or asked, 550 if there is no such user
     */
    public String friendAdd(String user) throws IOException {
        return client.request("FRIEND ADD " + Arguments.quote(user)).expect(250).text();
    }

    /** Accepts a friend request ({@code FRIEND ACCEPT}); 550 if {@code user} did not ask. */
    public String friendAccept(String user) throws IOException {
        return client.request("FRIEND ACCEPT " + Arguments.quote(user)).expect(250).text();
    }

    /** Declines a friend request ({@code FRIEND DECLINE}); 550 if {@code user} did not ask. */
    public String friendDecline(String user) throws IOException {
        return client.request("FRIEND DECLINE " + Arguments.quote(user)).expect(250).text();
    }

    /** Ends a friendship ({@code FRIEND REMOVE}); 550 if not friends. */
    public String friendRemove(String user) throws IOException {
        return client.request("FRIEND REMOVE " + Arguments.quote(user)).expect(250).text();
    }

    /** Your friends and pending requests ({@code FRIEND LIST}). */
    public List<Friend> friends() throws IOException {
        return Replies.lines(client.request("FRIEND LIST").expect(211), Friend::parse);
    }

    /** The friends online now ({@code WHO}). */
    public List<String> who() throws IOException {
        return client.request("WHO").expect(211).body();
    }

    /** Up to 50 user names starting with {@code prefix} ({@code USERS}); {@code ""} for any. */
    public List<String> users(String prefix) throws IOException {
        return client.request("USERS " + Arguments.quote(prefix)).expect(211).body();
    }

    /**
     * Creates, joins, leaves or deletes a group, or declines an invitation to it
     * ({@code GROUP CREATE|JOIN|LEAVE|DELETE|DECLINE name}).
     *
     * @param action {@code "CREATE"}, {@code "JOIN"}, {@code "LEAVE"}, {@code "DELETE"} or {@code "DECLINE"}
     * @return the server's text, such as {@code "joined #team"}
     */
    public String group(String action, String name) throws IOException {
        return client.request("GROUP " + action + " " + Arguments.quote(name)).expect(250).text();
    }

    /**
     * A group action on a user or with a value ({@code GROUP action name argument}): {@code INVITE},
     * {@code UNINVITE} (withdraw an invitation), {@code KICK}, {@code BAN}, {@code UNBAN},
     * {@code PROMOTE}, {@code DEMOTE}, {@code OWNER} (hand over) with a user name; {@code RENAME} with the new name; {@code SET} with {@code public},
     * {@code invite-only}, {@code shared-history} or {@code joined-history}.
     *
     * @return the server's text, such as {@code "bob invited to #team"}
     * @throws ReplyException 550 when you may not (not the owner or an admin, a banned user, ...), 521 when already so
     */
    public String group(String action, String name, String argument) throws IOException {
        return client.request("GROUP " + action + " " + Arguments.quote(name) + " " + Arguments.quote(argument))
                .expect(250).text();
    }

    /** Removes {@code user} from a group you own ({@code GROUP KICK}). */
    public String groupKick(String name, String user) throws IOException {
        return client.request("GROUP KICK " + Arguments.quote(name) + " " + Arguments.quote(user)).expect(250).text();
    }

    /** The members of a group you belong to ({@code GROUP MEMBERS}). */
    public List<Group.Member> groupMembers(String name) throws IOException {
        return Replies.lines(client.request("GROUP MEMBERS " + Arguments.quote(name)).expect(211), Group.Member::parse);
    }

    /** Your pending invitations to groups ({@code GROUP INVITES}), oldest first. */
    public List<Group.Pending> groupInvitations() throws IOException {
        return Replies.lines(client.request("GROUP INVITES").expect(211), Group.Pending::parse);
    }

    /**
     * The pending invitations to a group you own or administer ({@code GROUP INVITES name}), oldest first.
     *
     * @throws ReplyException 550 when there is no such group or you are not its owner or an admin
     */
    public List<Group.Pending> groupInvitations(String name) throws IOException {
        return Replies.lines(client.request("GROUP INVITES " + Arguments.quote(name)).expect(211), Group.Pending::parse);
    }

    /**
     * The users banned from a group you own or administer ({@code GROUP BANS name}), oldest ban first.
     *
     * @throws ReplyException 550 when there is no such group or you are not its owner or an admin
     */
    public List<Group.Pending> groupBans(String name) throws IOException {
        return Replies.lines(client.request("GROUP BANS " + Arguments.quote(name)).expect(211), Group.Pending::parse);
    }

    /** The groups you belong to ({@code GROUP LIST}). */
    public List<Group> groups() throws IOException {
        return Replies.lines(client.request("GROUP LIST").expect(211), Group::parse);
    }
}
