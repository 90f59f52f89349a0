package dev.netdisk.cli.shell;

import dev.netdisk.cli.session.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits shell input and batch scripts into commands and words, like a small POSIX shell:
 * whitespace separates words; {@code ;} and line breaks separate commands; {@code "..."} groups
 * with {@code \"} and {@code \\} escapes; {@code '...'} groups literally; a backslash outside
 * quotes escapes the next character; {@code #} at the start of a word comments out the rest of
 * the line. This matches JLine's default parser, so completed words with spaces round-trip.
 * In the commands that expand remote wildcards ({@code ls}, {@code download}, {@code rm},
 * {@code mv}, {@code cp}), a quoted or backslashed {@code * ? [ ] \} reaches the command with a
 * backslash before it, which keeps it literal there.
 *
 * <p>A chat line is the exception: after {@code chat USER} or {@code chat #GROUP} (or {@code msg})
 * the rest of the line is the message exactly as typed, quotes, backslashes, {@code ;} and
 * {@code #} included; it becomes one word {@code --text=MESSAGE} for the chat command. In the
 * interactive shell a message may run on over several lines (typed with the continuation key):
 * then it runs to the end of the input. Stateless.
 */
public final class CommandSplitter {

    private CommandSplitter() {
    }

    /**
     * The commands in {@code text}, each a non-empty list of words.
     *
     * @throws UsageException on an unclosed quote or a trailing backslash
     */
    public static List<List<String>> split(String text) {
        return split(text, false);
    }

    /**
     * The commands in {@code text}; with {@code chatToEnd}, a chat message runs to the end of the
     * text, line breaks included (the interactive shell's input), else to the end of its line.
     *
     * @throws UsageException on an unclosed quote or a trailing backslash
     */
    public static List<List<String>> split(String text, boolean chatToEnd) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (word == null && atChatMessage(words, text, i) && c != ';' && c != '\n') {
                if (c == ' ' || c == '\t' || c == '\r') {
                    i++;
                    continue;
                }
                int end = chatToEnd ? n : text.indexOf('\n', i);
                end = end < 0 ? n : end;
                String message = text.substring(i, end);
                if (!chatToEnd && message.endsWith("\r")) {
                    message = message.substring(0, message.length() - 1);
                }
                words.add(TEXT_OPTION + message);
                i = end;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                word = flush(words, word);
                i++;
            } else if (c == ';' || c == '\n') {
                word = flush(words, word);
                if (!words.isEmpty()) {
                    commands.add(words);
                    words = new ArrayList<>();
                }
                i++;
            } else if (c == '#' && word == null && !(words.size() == 1 && isChat(words.get(0)))) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                i = consume(text, i, word, !words.isEmpty() && expandsGlobs(words.get(0)));
            }
        }
        flush(words, word);
        if (!words.isEmpty()) {
            commands.add(words);
        }
        return commands;
    }

    /** The word that carries a chat message as typed: the chat command's hidden option. */
    public static final String TEXT_OPTION = "--text=";

    /**
     * Whether the text at {@code i} is where a chat line's message begins: after {@code chat TARGET},
     * and after its file option ({@code --file X}, {@code --remote-file X}, also with {@code =}),
     * which is parsed as words.
     */
    private static boolean atChatMessage(List<String> words, String text, int i) {
        if (words.isEmpty() || !isChat(words.get(0))) {
            return false;
        }
        if (words.size() == 2) {
            return !startsFileOption(text, i);
        }
        if (words.size() == 3 && isFileOption(words.get(2)) && words.get(2).contains("=")) {
            return true;
        }
        return words.size() == 4 && isFileOption(words.get(2)) && !words.get(2).contains("=");
    }

    private static boolean isFileOption(String word) {
        return word.equals("--file") || word.equals("--remote-file") || word.startsWith("--file=")
                || word.startsWith("--remote-file=");
    }

    private static boolean startsFileOption(String text, int i) {
        for (String option : new String[] {"--file", "--remote-file"}) {
            if (text.startsWith(option, i)) {
                int after = i + option.length();
                if (after == text.length() || " \t=\n;".indexOf(text.charAt(after)) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code verb} is the chat command, whose message is the rest of the line. */
    static boolean isChat(String verb) {
        return verb.equalsIgnoreCase("chat") || verb.equalsIgnoreCase("msg");
    }

    /** The words of one command line (separators {@code ;} are not allowed to split here). */
    static List<String> words(String line) {
        List<String> all = new ArrayList<>();
        for (List<String> command : split(line)) {
            all.addAll(command);
        }
        return all;
    }

    /** The commands whose remote paths may hold wildcards ({@link dev.netdisk.cli.client.RemoteGlob}). */
    private static final java.util.Set<String> GLOB_COMMANDS = java.util.Set.of(
            "ls", "download", "get", "rm", "delete", "mv", "rename", "cp", "copy");

    /** The characters a quote or a backslash keeps from being a wildcard. */
    private static final String GLOB_SPECIAL = "*?[]\\";

    static boolean expandsGlobs(String verb) {
        return GLOB_COMMANDS.contains(verb.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Appends {@code c} to a word; in a command that expands wildcards, a quoted or backslashed
     * wildcard character is passed on backslashed, so that it stays literal there (as in sftp).
     */
    private static void append(StringBuilder word, char c, boolean keepLiteral) {
        if (keepLiteral && GLOB_SPECIAL.indexOf(c) >= 0) {
            word.append('\\');
        }
        word.append(c);
    }

    private static int consume(String text, int start, StringBuilder word, boolean globs) {
        int i = start;
        int n = text.length();
        char c = text.charAt(i);
        if (c == '\\') {
            if (i + 1 >= n) {
                throw new UsageException("a backslash at the end of the line");
            }
            append(word, text.charAt(i + 1), globs);
            return i + 2;
        }
        if (c == '"' || c == '\'') {
            i++;
            while (i < n && text.charAt(i) != c) {
                char d = text.charAt(i);
                if (c == '"' && d == '\\' && i + 1 < n && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    append(word, text.charAt(i + 1), globs);
                    i += 2;
                } else {
                    append(word, d, globs);
                    i++;
                }
            }
            if (i >= n) {
                throw new UsageException("unclosed quote " + c + " in: " + text.strip());
            }
            return i + 1;
        }
        word.append(c);
        return i + 1;
    }

    private static StringBuilder flush(List<String> words, StringBuilder word) {
        if (word != null) {
            words.add(word.toString());
        }
        return null;
    }
}
