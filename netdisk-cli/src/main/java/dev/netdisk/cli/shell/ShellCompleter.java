package dev.netdisk.cli.shell;

import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Session;
import dev.netdisk.protocol.RemotePath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * TAB completion for the shell: command names, options, remote paths (asked from the server with
 * {@code LS}) and local paths, depending on the command and the argument's position. Runs on the
 * shell's thread; a server that cannot answer just yields no candidates.
 */
final class ShellCompleter implements Completer {

    /** What an argument position holds. */
    enum Kind { REMOTE, LOCAL, COMMAND, CHAT_TARGET, FRIEND, FRIEND_ACTION, GROUP, GROUP_ACTION, NONE }

    private final Session session;
    private final Map<String, CommandLine> commands;

    ShellCompleter(Session session) {
        this.session = session;
        this.commands = LineCommands.commandLine(session).getSubcommands();
    }

    static Kind kind(String command, int position) {
        return switch (command) {
            case "cd", "ls", "cat", "stat", "makedir", "mkdir", "rm", "delete", "rmdir", "mv", "rename", "cp", "copy", "du",
                 "link" -> Kind.REMOTE;
            case "share", "unshare" -> position == 0 ? Kind.REMOTE : position == 1 ? Kind.FRIEND : Kind.NONE;
            case "fetch" -> position == 1 ? Kind.LOCAL : Kind.NONE;
            case "download", "get" -> position == 0 ? Kind.REMOTE : position == 1 ? Kind.LOCAL : Kind.NONE;
            case "upload", "put" -> position == 0 ? Kind.LOCAL : position == 1 ? Kind.REMOTE : Kind.NONE;
            case "lcd", "lls" -> Kind.LOCAL;
            case "help", "?" -> position == 0 ? Kind.COMMAND : Kind.NONE;
            case "chat", "msg", "history" -> position == 0 ? Kind.CHAT_TARGET : Kind.NONE;
            case "friend", "friends" -> position == 0 ? Kind.FRIEND_ACTION : position == 1 ? Kind.FRIEND : Kind.NONE;
            case "group", "groups" -> position == 0 ? Kind.GROUP_ACTION : position == 1 ? Kind.GROUP
                    : position == 2 ? Kind.FRIEND : Kind.NONE;
            default -> Kind.NONE;
        };
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (index == 0) {
            commandNames(candidates);
            return;
        }
        String command = words.get(0).toLowerCase(Locale.ROOT);
        if (word.startsWith("-")) {
            CommandLine cl = commands.get(command);
            if (cl != null) {
                for (OptionSpec o : cl.getCommandSpec().options()) {
                    for (String name : o.names()) {
                        candidates.add(new Candidate(name, name, null, o.description().length > 0 ? o.description()[0] : null,
                                null, null, true));
                    }
                }
            }
            return;
        }
        int position = 0;
        CommandLine verb = commands.get(command);
        for (int i = 1; i < index && i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("-")) {
                position++;
            } else if (verb != null && verb.getCommandSpec().findOption(w) != null
                    && verb.getCommandSpec().findOption(w).arity().max() > 0 && !w.contains("=")) {
                i++;  // the option's value (--parallel 4, --expires 7d) is no positional argument
            }
        }
        switch (kind(command, position)) {
            case REMOTE -> remote(word, candidates);
            case LOCAL -> local(word, candidates);
            case COMMAND -> commandNames(candidates);
            case FRIEND_ACTION -> words(candidates, "add", "accept", "decline", "remove", "list");
            case GROUP_ACTION -> words(candidates, "create", "join", "leave", "members", "list", "invites", "decline",
                    "invite", "uninvite", "kick", "ban", "unban", "bans", "promote", "demote", "owner", "rename", "set",
                    "delete");
            case FRIEND -> names(candidates, false);
            case GROUP -> names(candidates, true);
            case CHAT_TARGET -> {
                names(candidates, false);
                names(candidates, true);
            }
            default -> { }
        }
    }

    private void commandNames(List<Candidate> candidates) {
        for (String name : commands.keySet()) {
            candidates.add(new Candidate(name));
        }
    }

    private static void words(List<Candidate> candidates, String... words) {
        for (String w : words) {
            candidates.add(new Candidate(w));
        }
    }

    /** Friends (and people asking to be), or the groups you are in as {@code #name}. */
    private void names(List<Candidate> candidates, boolean groups) {
        Optional<NetdiskClient> client = session.current().filter(c -> c.user() != null);
        if (client.isEmpty()) {
            return;
        }
        try {
            if (groups) {
                client.get().social().groups().forEach(g -> candidates.add(new Candidate("#" + g.name())));
            } else {
                client.get().social().friends().forEach(f -> candidates.add(new Candidate(f.name())));
            }
        } catch (IOException e) {
            // no candidates from a server that cannot answer
        }
    }

    private void remote(String word, List<Candidate> candidates) {
        Optional<NetdiskClient> client = session.current().filter(c -> c.user() != null);
        if (client.isEmpty()) {
            return;
        }
        String dir = RemotePath.splitLast(word)[0];
        List<Entry> entries;
        try {
            entries = client.get().files().ls(dir.isEmpty() ? null : dir);
        } catch (IOException e) {
            return;
        }
        for (Entry e : entries) {
            String display = e.name() + (e.isDirectory() ? "/" : "");
            candidates.add(new Candidate(dir + display, display, null, null, null, null, !e.isDirectory()));
        }
    }

    private void local(String word, List<Candidate> candidates) {
        String dir = RemotePath.splitLast(word)[0];
        Path base = dir.isEmpty() ? session.console().localDir() : session.console().local(dir);
        if (!Files.isDirectory(base)) {
            return;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(base)) {
            for (Path p : stream) {
                boolean isDir = Files.isDirectory(p);
                String display = p.getFileName() + (isDir ? "/" : "");
                candidates.add(new Candidate(dir + display, display, null, null, null, null, !isDir));
            }
        } catch (IOException e) {
            // an unreadable directory offers nothing
        }
    }
}
