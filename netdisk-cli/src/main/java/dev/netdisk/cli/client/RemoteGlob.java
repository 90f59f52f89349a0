package dev.netdisk.cli.client;

import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell-style wildcards in remote paths, expanded by the client from listings as {@code sftp}
 * does (the protocol has no wildcards): {@code *} any run of characters, {@code ?} one character,
 * {@code [abc]}, {@code [a-z]}, {@code [!abc]} (or {@code [^abc]}) one character of a set. None of
 * them crosses a {@code /}, and {@code *} and {@code ?} do not match a name's leading dot. Each
 * {@code /}-separated part of a pattern may hold wildcards; one {@code LS} is sent per directory
 * it reaches.
 *
 * <p>A backslash before {@code *}, {@code ?}, {@code [}, {@code ]} or another backslash makes that
 * character literal and is removed; any other backslash is kept as it is, so a path with no
 * wildcard characters is always used verbatim. A pattern that matches nothing stands for itself
 * (its escapes removed), as in a POSIX shell, so {@code photo [1].jpg} still names that file when
 * no {@code photo 1.jpg} exists, and the server answers {@code 550} for a name that is not there.
 *
 * <p>Stateless apart from its client; blocking.
 */
public final class RemoteGlob {

    private static final String SPECIAL = "*?[]\\";

    private RemoteGlob() {
    }

    /** Whether {@code arg} holds an unescaped wildcard ({@code *}, {@code ?}, or a {@code [...]} set). */
    public static boolean isPattern(String arg) {
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\' && i + 1 < arg.length() && SPECIAL.indexOf(arg.charAt(i + 1)) >= 0) {
                i++;
            } else if (c == '*' || c == '?' || (c == '[' && setEnd(arg, i) > 0)) {
                return true;
            }
        }
        return false;
    }

    /** {@code arg} as a literal path: each backslash before a wildcard character or a backslash removed. */
    public static String literal(String arg) {
        if (arg.indexOf('\\') < 0) {
            return arg;
        }
        StringBuilder b = new StringBuilder(arg.length());
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\' && i + 1 < arg.length() && SPECIAL.indexOf(arg.charAt(i + 1)) >= 0) {
                i++;
                c = arg.charAt(i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * The remote paths {@code arg} names: the sorted matches of a pattern, in the same form
     * (relative stays relative to the working directory), or {@code literal(arg)} alone when it is
     * no pattern or matches nothing.
     *
     * @throws ReplyException a listing failed other than with {@code 550} (a missing directory matches nothing)
     */
    public static List<String> expand(NetdiskClient client, String arg) throws IOException {
        if (!isPattern(arg)) {
            return List.of(literal(arg));
        }
        boolean absolute = arg.startsWith("/");
        String[] parts = arg.split("/+", -1);
        List<String> found = new ArrayList<>();
        found.add(absolute ? "/" : "");
        for (int p = absolute ? 1 : 0; p < parts.length; p++) {
            String part = parts[p];
            if (part.isEmpty()) {
                continue;  // a trailing slash
            }
            boolean last = lastPart(parts, p);
            List<String> next = new ArrayList<>();
            for (String dir : found) {
                if (!isPattern(part)) {
                    next.add(join(dir, literal(part)));
                    continue;
                }
                Pattern regex = regex(part);
                List<Entry> entries;
                try {
                    entries = client.files().ls(dir.isEmpty() ? null : dir);
                } catch (ReplyException e) {
                    if (e.code() == 550) {
                        continue;
                    }
                    throw e;
                }
                for (Entry e : entries) {
                    String name = e.name().endsWith("/") ? e.name().substring(0, e.name().length() - 1) : e.name();
                    if ((last || e.isDirectory()) && regex.matcher(name).matches()) {
                        next.add(join(dir, name));
                    }
                }
            }
            found = next;
        }
        if (found.isEmpty()) {
            return List.of(literal(arg));
        }
        return found.stream().sorted().toList();
    }

    private static boolean lastPart(String[] parts, int p) {
        for (int q = p + 1; q < parts.length; q++) {
            if (!parts[q].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String join(String dir, String name) {
        if (dir.isEmpty()) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** The end of the set opening at {@code open} (the index of its {@code ]}), or -1 when it is not closed. */
    private static int setEnd(String s, int open) {
        int i = open + 1;
        if (i < s.length() && (s.charAt(i) == '!' || s.charAt(i) == '^')) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            i++;  // a ']' first in the set is a member
        }
        for (; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    /** Appends {@code c} as a literal member of a regex character class. */
    private static void setMember(StringBuilder r, char c) {
        // Escaping an ASCII punctuation character is always literal in a Java class; a letter must stay bare.
        if (c < 128 && !Character.isLetterOrDigit(c)) {
            r.append('\\');
        }
        r.append(c);
    }

    /** The regular expression of one path part's pattern. */
    static Pattern regex(String part) {
        StringBuilder r = new StringBuilder();
        if (part.startsWith("*") || part.startsWith("?") || part.startsWith("[")) {
            r.append("(?!\\.)");  // as in POSIX, only a literal dot matches a hidden name's leading dot
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' && i + 1 < part.length() && SPECIAL.indexOf(part.charAt(i + 1)) >= 0) {
                r.append(Pattern.quote(String.valueOf(part.charAt(++i))));
            } else if (c == '*') {
                r.append(".*");
            } else if (c == '?') {
                r.append('.');
            } else if (c == '[' && setEnd(part, i) > 0) {
                int end = setEnd(part, i);
                r.append('[');
                int j = i + 1;
                if (part.charAt(j) == '!' || part.charAt(j) == '^') {
                    r.append('^');
                    j++;
                }
                for (; j < end; j++) {
                    char d = part.charAt(j);
                    if (d == '\\' && j + 1 < end) {
                        setMember(r, part.charAt(++j));
                    } else if (d == '-' && j > i + 1 && j + 1 < end) {
                        r.append('-');
                    } else {
                        setMember(r, d);
                    }
                }
                r.append(']');
                i = end;
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(r.toString(), Pattern.DOTALL);
    }
}
