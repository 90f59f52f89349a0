package dev.netdisk.cli.client;

import java.util.ArrayDeque;
import java.util.Deque;

/** Pure string helpers for remote paths ({@code /}-separated, PROTOCOL.md section 5). */
public final class RemotePaths {

    private RemotePaths() {
    }

    /** The last component: {@code "/a/b.txt"} gives {@code "b.txt"}; {@code "/"} gives {@code ""}. */
    public static String basename(String path) {
        String p = stripTrailingSlashes(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Joins a directory and a name with exactly one slash. */
    public static String join(String dir, String name) {
        if (dir.isEmpty()) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /**
     * Splits a partial path at its last slash: {@code "docs/ph"} gives {@code ["docs/", "ph"]},
     * {@code "ph"} gives {@code ["", "ph"]}.
     */
    public static String[] splitLast(String path) {
        int slash = path.lastIndexOf('/');
        return new String[] {path.substring(0, slash + 1), path.substring(slash + 1)};
    }

    static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /**
     * An absolute remote path in normal form: empty and {@code .} components dropped, {@code ..}
     * applied (never above {@code /}), as the server resolves it (PROTOCOL.md section 5).
     */
    public static String normalize(String absolute) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
