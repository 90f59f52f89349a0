package dev.netdisk.cli.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One line of {@code TRASH LIST} (PROTOCOL.md section 8): an item that {@code RM} or {@code RMDIR}
 * moved to the trash.
 *
 * @param id        what {@code TRASH RESTORE} takes
 * @param deletedAt when it was moved to the trash
 * @param type      file or directory
 * @param size      the bytes of all files in the item
 * @param path      where it was
 */
public record TrashItem(long id, Instant deletedAt, Entry.Type type, long size, String path) {

    /** Parses {@code ID DELETED-AT f|d SIZE PATH}; the path is the rest of the line. */
    static TrashItem parse(String line) {
        String[] f = line.split(" ", 5);
        if (f.length < 5 || !(f[2].equals("f") || f[2].equals("d"))) {
            throw new IllegalArgumentException("malformed trash line: " + line);
        }
        try {
            return new TrashItem(Long.parseLong(f[0]), Instant.parse(f[1]),
                    f[2].equals("f") ? Entry.Type.FILE : Entry.Type.DIRECTORY, Long.parseLong(f[3]), f[4]);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("malformed trash line: " + line, e);
        }
    }
}
