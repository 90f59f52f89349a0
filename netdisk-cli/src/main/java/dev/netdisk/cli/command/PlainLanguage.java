package dev.netdisk.cli.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Says things in the user's terms: rewrites the server's protocol syntax in its texts into the
 * commands a user types ({@code RM -r} becomes {@code rm -r}, {@code FRIEND ADD bob} becomes
 * {@code friend add bob}), turns picocli's parse errors into short sentences, and finds the
 * nearest command to a mistyped one. The server's texts are for any client, so the translation
 * lives here and the protocol stays as it is. Stateless.
 */
public final class PlainLanguage {

    /** A server phrase (a regular expression) and what a netdisk user reads instead. */
    private record Rewrite(Pattern protocol, String user) {
    }

    private static final List<Rewrite> REWRITES = List.of(
            rewrite(" \\(RM -r removes a directory and everything in it\\)",
                    " (rm -r moves a directory and everything in it to the trash)"),
            rewrite("; FRIEND ADD (\\S+) first", "; ask them first with 'friend add $1'"),
            rewrite(" \\(GROUP INVITE, GROUP SET\\)", " ('group invite' adds people, 'group set' changes that)"),
            rewrite("ask its owner or an admin for GROUP INVITE", "ask its owner or an admin to invite you"),
            rewrite(" \\(links are for files; SHARE path WITH a friend shares a directory\\)",
                    " (links are for files; 'share DIR FRIEND' shares a directory)"),
            rewrite("; anyone logged in can FETCH (\\S+)", "; anyone logged in can 'fetch $1'"),
            rewrite(" \\(TRASH RESTORE (\\d+) path puts it elsewhere\\)", " ('trash restore $1 PATH' puts it elsewhere)"),
            rewrite("^removed=\\d+ ", ""),
            rewrite("not logged in; LOGIN first", "not logged in; run 'login' first"));

    private PlainLanguage() {
    }

    private static Rewrite rewrite(String protocol, String user) {
        return new Rewrite(Pattern.compile(protocol), user);
    }

    /** {@code text} from the server with its protocol syntax put in the client's terms. */
    public static String serverText(String text) {
        String t = text;
        for (Rewrite r : REWRITES) {
            t = r.protocol().matcher(t).replaceAll(r.user());
        }
        return t;
    }

    private static final Pattern INVALID = Pattern.compile(
            "Invalid value for (?:option '([^']+)'|positional parameter at index \\d+ \\(([^)]+)\\)): '(.*)' is not an? (int|long)");

    /**
     * A parse error as one sentence: what is wrong with which word, and for an unknown command the
     * nearest known one ({@code commands}: the commands that could have been meant).
     */
    public static String parseError(ParameterException ex, List<Class<?>> commands) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (ex.getCommandLine().getParent() == null && !first.startsWith("-")) {
                return unknownCommand(first, commands);
            }
            if (first.startsWith("-")) {
                return "unknown option " + first;
            }
            return (u.getUnmatched().size() == 1 ? "one argument too many: " : "too many arguments: ")
                    + String.join(" ", u.getUnmatched());
        }
        if (ex instanceof MissingParameterException m) {
            List<String> missing = m.getMissing().stream().map(a -> a.isOption()
                    ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel()).toList();
            return "missing " + String.join(" and ", missing);
        }
        String message = ex.getMessage() == null ? "" : ex.getMessage();
        Matcher invalid = INVALID.matcher(message);
        if (invalid.find()) {
            String what = invalid.group(1) != null ? invalid.group(1) : invalid.group(2);
            return what + " takes a whole number, not '" + invalid.group(3) + "'";
        }
        if (message.startsWith("Unknown option")) {
            return "unknown option " + message.replaceFirst("^Unknown options?: ", "").replace("'", "");
        }
        return message.isEmpty() ? "cannot read the command line" : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** {@code unknown command: WORD}, and the nearest command's name when one is close enough. */
    public static String unknownCommand(String word, List<Class<?>> commands) {
        String nearest = nearest(word, commands);
        return "unknown command: " + word + (nearest == null ? "" : "; did you mean '" + nearest + "'?");
    }

    /** The command name or alias nearest to {@code word} (edit distance at most a third of it, at least 1), or null. */
    static String nearest(String word, List<Class<?>> commands) {
        String w = word.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (Class<?> c : commands) {
            Command command = c.getAnnotation(Command.class);
            names.add(command.name());
            names.addAll(Arrays.asList(command.aliases()));
        }
        String best = null;
        int bestDistance = Math.max(1, w.length() / 3) + 1;  // "lss" -> ls, "uplod" -> upload, "xyz" -> nothing
        for (String name : names) {
            int d = distance(w, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        if (best == null && w.length() >= 2) {
            for (String name : names) {
                if (name.startsWith(w)) {
                    return name;  // a prefix: "downl" means download
                }
            }
        }
        return best;
    }

    /** The Damerau-Levenshtein distance (adjacent transpositions count one) between two words. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
