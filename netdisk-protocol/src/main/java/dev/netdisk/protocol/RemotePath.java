package dev.netdisk.protocol;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A normalized absolute path inside one user's tree: a list of names, no {@code .} or {@code ..},
 * each name in Unicode NFC. {@link #resolve} is the one place where a client's path text is
 * checked and confined to the user's root ({@code docs/PROTOCOL.md} section 5). The static
 * text helpers ({@link #normalize(String)}, {@link #join}, {@link #basename}) are the client's: they
 * work on path text as typed, before the server has checked it.
 *
 * <p>Immutable and thread-safe.
 */
public final class RemotePath {

    /** The longest path accepted, in UTF-8 bytes. */
    public static final int MAX_PATH_BYTES = 4096;

    /** The longest name accepted, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    public static final RemotePath ROOT = new RemotePath(List.of());

    private final List<String> names;

    private RemotePath(List<String> names) {
        this.names = names;
    }

    /**
     * Resolves a client's path text against the working directory.
     *
     * @param cwd   the working directory
     * @param input an absolute ({@code /a/b}) or relative ({@code b/../c}) path; empty means {@code cwd}
     * @return the normalized path
     * @throws BadPathException when the path is too long, a name is not allowed, or {@code ..}
     *                          climbs above the root
     */
    public static RemotePath resolve(RemotePath cwd, String input) throws BadPathException {
        if (input.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new BadPathException(truncate(input), "path too long (max " + MAX_PATH_BYTES + " bytes)");
        }
        List<String> out = input.startsWith("/") ? new ArrayList<>() : new ArrayList<>(cwd.names);
        for (String part : input.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (out.isEmpty()) {
                    throw new BadPathException(input, "path escapes your root");
                }
                out.remove(out.size() - 1);
                continue;
            }
            out.add(checkName(part, input));
        }
        return new RemotePath(List.copyOf(out));
    }

    /**
     * Checks one name and returns it in NFC.
     *
     * @throws BadPathException when it is {@code .} or {@code ..}, empty, longer than 255 bytes, or
     *                          holds {@code /}, NUL or a control character
     */
    public static String checkName(String name, String path) throws BadPathException {
        String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
        if (nfc.isEmpty() || nfc.equals(".") || nfc.equals("..")) {
            throw new BadPathException(path, "invalid file name");
        }
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (c == '/' || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw new BadPathException(path, "invalid character in file name");
            }
        }
        if (nfc.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new BadPathException(truncate(path), "file name too long (max " + MAX_NAME_BYTES + " bytes)");
        }
        return nfc;
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    public List<String> names() {
        return names;
    }

    public boolean isRoot() {
        return names.isEmpty();
    }

    /** The last name; {@code "/"} for the root. */
    public String name() {
        return names.isEmpty() ? "/" : names.get(names.size() - 1);
    }

    /** The parent; the root's parent is the root. */
    public RemotePath parent() {
        return names.isEmpty() ? this : new RemotePath(names.subList(0, names.size() - 1));
    }

    /** This path with one more name, which must already be valid. */
    public RemotePath child(String name) {
        List<String> out = new ArrayList<>(names);
        out.add(name);
        return new RemotePath(List.copyOf(out));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemotePath other && names.equals(other.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    /** The path as text: {@code "/"} or {@code "/a/b"}. */
    @Override
    public String toString() {
        return names.isEmpty() ? "/" : "/" + String.join("/", names);
    }

    /** The last component of path text: {@code "/a/b.txt"} gives {@code "b.txt"}; {@code "/"} gives {@code ""}. */
    public static String basename(String path) {
        String p = stripTrailingSlashes(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Joins a directory and a name with exactly one slash; an empty directory gives the name. */
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

    /** {@code path} without trailing slashes, except that {@code "/"} stays {@code "/"}. */
    public static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** {@code path} made absolute against the working directory {@code cwd} and {@link #normalize normalized}. */
    public static String absolute(String cwd, String path) {
        return normalize(path.startsWith("/") ? path : join(cwd, path));
    }

    /**
     * Absolute path text in normal form: empty and {@code .} components dropped, {@code ..} applied
     * (never above {@code /}). Unlike {@link #resolve} it checks no name: for messages and local
     * bookkeeping, not for confinement.
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
