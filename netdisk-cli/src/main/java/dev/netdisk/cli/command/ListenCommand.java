package dev.netdisk.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.cli.session.EventText;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.Times;
import java.io.PrintWriter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code listen}: prints every incoming message, presence change and friend or group event as one
 * line on stdout, as it arrives, until interrupted (Ctrl-C) or the connection ends: for scripts and
 * bots. Messages that waited while the user was offline come first. The connection is kept alive
 * with a heartbeat; when it breaks, the session reconnects with growing pauses and resumes after
 * the last message shown, so nothing is lost or shown twice ({@code --no-reconnect}: exit instead).
 * A message printed is read: its conversation's read marker moves to it, batched ({@code --no-mark-read}
 * leaves the markers alone, for a bot that does not read for the user).
 *
 * <p>With {@code --json}, one JSON object per line (docs/CLI.md): {@code {"type":"chat","id":17,
 * "time":"2026-11-21T13:50:00.123Z","from":"alice","to":"bob","text":"lunch?"}}, {@code
 * {"type":"presence","user":"bob","online":true}}, {@code {"type":"read","conversation":"bob","read":17}}
 * (your read marker moved on another of your connections; not printed without {@code --json}) or
 * {@code {"type":"event","text":"FRIEND REQUEST bob"}}.
 * Exit code 3 when the connection ends for good.
 */
@Command(name = "listen", description = {
        "Print incoming messages and presence events, one line each, until Ctrl-C or the connection ends.",
        "Messages kept while you were offline come first. --json prints one JSON object per line.",
        "Stays connected (heartbeat); reconnects and resumes after a broken connection.",
        "Messages printed count as read (the read markers move); --no-mark-read leaves them alone."})
final class ListenCommand extends Verb {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Put on the queue when the connection ends. */
    private static final String END = new String("end of connection");

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--no-mark-read", description = "Leave read markers alone: a bot that reads for others, not for you.")
    boolean noMarkRead;

    @Option(names = "--no-reconnect", description = "End (exit 3) when the connection breaks instead of reconnecting.")
    boolean noReconnect;

    @Override
    void run(Session s) throws Exception {
        // The reader thread only queues; this thread prints, so a slow stdout never stalls the connection.
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Times times = s.settings().times();
        s.setEventListener(new EventListener() {
            @Override
            public void chat(ChatMessage m) {
                lines.add(json ? chatJson(m) : EventText.chat(m, times));
            }

            @Override
            public void presence(String user, boolean online) {
                lines.add(json ? presenceJson(user, online) : EventText.presence(user, online));
            }

            @Override
            public void read(String conversation, long messageId) {
                // Only for scripts: people see nothing of it (the unread count is what changed).
                if (json) {
                    lines.add(readJson(conversation, messageId));
                }
            }

            @Override
            public void other(String event) {
                lines.add(json ? eventJson(event) : EventText.other(event));
            }

            @Override
            public void closed() {
                lines.add(END);
            }
        });
        s.setReconnect(!noReconnect);
        s.setMarkShownRead(!noMarkRead);
        s.setWantsEvents(true);
        s.loggedIn();
        PrintWriter out = s.console().out();
        while (true) {
            String line = lines.take();
            if (line == END) {
                throw new NetdiskConnectionException(noReconnect ? "the connection to the server ended"
                        : "the connection to the server ended and logging in again failed");
            }
            out.println(line);
            out.flush();
        }
    }

    static String chatJson(ChatMessage m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "chat");
        node.put("id", m.id());
        node.put("time", m.time().toString());
        node.put("from", m.from());
        node.put("to", m.to());
        node.put("text", m.text());
        m.file().ifPresent(f -> node.putObject("file").put("name", f.name()).put("size", f.size()).put("code", f.code()));
        return node.toString();
    }

    static String presenceJson(String user, boolean online) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "presence");
        node.put("user", user);
        node.put("online", online);
        return node.toString();
    }

    static String readJson(String conversation, long messageId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "read");
        node.put("conversation", conversation);
        node.put("read", messageId);
        return node.toString();
    }

    static String eventJson(String event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "event");
        node.put("text", event);
        return node.toString();
    }
}
