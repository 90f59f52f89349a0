package dev.netdisk.cli.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One file or directory as {@code LS} and {@code STAT} describe it (PROTOCOL.md section 5, "Entries").
 *
 * @param type  file or directory
 * @param size  the size in bytes; {@code 0} for a directory
 * @param mtime the last modification time
 * @param md5   32 lower-case hex digits, or {@code null} for a directory
 * @param name  the entry's name (one path component; {@code "/"} for the root)
 */
public record Entry(Type type, long size, Instant mtime, String md5, String name) {

    /** The two kinds of entry, with their protocol letters. */
    public enum Type {
        FILE('f'), DIRECTORY('d');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        /** The protocol letter: {@code f} or {@code d}. */
        public char letter() {
            return letter;
        }
    }

    public Entry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(name, "name");
    }

    /** True for a directory. */
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /**
     * Parses an entry line {@code TYPE SIZE MTIME MD5 NAME}; the name is the rest of the line.
     *
     * @throws IllegalArgumentException if the line does not have that shape
     */
    public static Entry parse(String line) {
        String[] f = line.split(" ", 5);
        if (f.length < 5 || f[4].isEmpty()) {
            throw new IllegalArgumentException("not an entry line: " + line);
        }
        Type type = switch (f[0]) {
            case "f" -> Type.FILE;
            case "d" -> Type.DIRECTORY;
            default -> throw new IllegalArgumentException("unknown entry type '" + f[0] + "': " + line);
        };
        try {
            long size = Long.parseLong(f[1]);
            Instant mtime = Instant.parse(f[2]);
            String md5 = "-".equals(f[3]) ? null : f[3].toLowerCase(java.util.Locale.ROOT);
            return new Entry(type, size, mtime, md5, f[4]);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("malformed entry line: " + line, e);
        }
    }

    /** This entry as a protocol entry line, the inverse of {@link #parse(String)}. */
    public String toLine() {
        return type.letter() + " " + size + " " + mtime + " " + (md5 == null ? "-" : md5) + " " + name;
    }
}
