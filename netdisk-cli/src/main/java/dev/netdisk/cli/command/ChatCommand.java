package dev.netdisk.cli.command;

import dev.netdisk.cli.client.ChatReceipt;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.SentFile;
import dev.netdisk.cli.client.Share;
import dev.netdisk.cli.client.TransferResult;
import dev.netdisk.cli.session.ProgressListener;
import java.nio.file.Path;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chat USER|#GROUP MESSAGE...}: sends a chat message to a friend or a group. The message is
 * sent as given: in the shell and in scripts the rest of the line as typed (the splitter hands it
 * over as {@code --text}); from the command line the words joined with spaces, or standard input
 * for {@code -}. It may hold several lines.
 */
@Command(name = "chat", aliases = "msg", description = {"Send a chat message to a friend, or to a group (#name).",
        "Friends who are offline get it when they next listen. In the shell everything after the recipient is",
        "the message, as typed. A message may hold several lines; '-' reads it from standard input."})
final class ChatCommand extends Verb {

    @Parameters(index = "0", paramLabel = "USER|#GROUP", description = "The recipient: a friend, or #group.")
    String target;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MESSAGE",
            description = "The message; the words are joined with spaces. '-' alone: read it from standard input.")
    List<String> words;

    @Option(names = "--file", paramLabel = "LOCAL",
            description = "Send a file: upload it to /sent/ in your space and send a read-only link to it.")
    String file;

    @Option(names = "--remote-file", paramLabel = "PATH", description = "Send a file already on the server, by a read-only link.")
    String remoteFile;

    /** The message exactly as typed on a shell or script line (CommandSplitter.TEXT_OPTION). */
    @Option(names = "--text", hidden = true)
    String text;

    @Override
    boolean mayHoldControlCharacters(ArgSpec arg) {
        return arg.isOption() ? ((OptionSpec) arg).longestName().equals("--text") : arg.paramLabel().equals("MESSAGE");
    }

    @Override
    void run(Session s) throws Exception {
        if (file != null && remoteFile != null) {
            throw new UsageException("chat: give --file or --remote-file, not both");
        }
        String message = file == null && remoteFile == null ? message(s) : withFile(s);
        if (message.isBlank()) {
            throw new UsageException("chat needs a message");
        }
        ChatReceipt r = s.loggedIn().social().chat(target, message);
        if (!s.settings().quiet()) {
            s.console().out().println("sent to " + target + " (" + plural(r.delivered(), "connection") + " now"
                    + (r.stored() > 0 ? ", " + plural(r.stored(), "offline user") + " kept for later" : "") + ")");
        }
    }

    /**
     * Sends a file as QQ and WeChat do: uploads it (or takes a remote file), makes a read-only link
     * (listed by 'share links', revoked by 'unshare link CODE') and returns the message that
     * carries it (SentFile), with the note, if any, after it.
     */
    private String withFile(Session s) throws Exception {
        String note = text != null ? text : words == null ? "" : String.join(" ", words);
        NetdiskClient c = s.loggedIn();
        String remote;
        long size;
        if (file != null) {
            Path local = s.console().local(file);
            // A folder of its own per file: the name stays the file's (fetch saves it under that name).
            String folder = "/sent/" + Long.toString(System.currentTimeMillis(), 36);
            c.files().makedir(folder, true);
            TransferResult t;
            try (ProgressListener progress = s.console().progress("chat", local.getFileName().toString())) {
                t = c.upload(local, folder + "/", s.console().transferOptions(false), progress);
            }
            remote = t.remotePath();
            size = t.size();
        } else {
            remote = remoteFile;
            size = c.files().stat(remoteFile).size();
        }
        Share.Link link = c.sharing().link(remote, null);
        String name = remote.substring(remote.lastIndexOf('/') + 1);
        return new SentFile(link.code(), size, name).message(note);
    }

    private String message(Session s) throws java.io.IOException {
        if (text != null) {
            if (words != null && !words.isEmpty()) {
                throw new UsageException("chat: give the message once");
            }
            return text;
        }
        if (words == null || words.isEmpty()) {
            throw new UsageException("chat needs a message (or --file)");
        }
        if (words.size() == 1 && words.get(0).equals("-")) {
            String in = new String(s.env().stdin().readAllBytes(), StandardCharsets.UTF_8);
            // A here-document or echo ends with a line break that is not part of the message.
            return in.endsWith("\r\n") ? in.substring(0, in.length() - 2)
                    : in.endsWith("\n") ? in.substring(0, in.length() - 1) : in;
        }
        return String.join(" ", words);
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
