package dev.netdisk.cli.client;

import java.time.Instant;

/**
 * One item in the trash ({@code TRASH LIST}).
 *
 * @param id        what {@link RemoteFiles#trashRestore} takes
 * @param deletedAt when it was removed
 * @param type      file or directory
 * @param size      the bytes of all files in it
 * @param path      where it was
 */
public record TrashItem(long id, Instant deletedAt, Entry.Type type, long size, String path) {

    /** Parses {@code ID DELETED-AT TYPE SIZE PATH}. */
    static TrashItem parse(String line) {
        String[] f = line.split(" ", 5);
        if (f.length < 5) {
            throw new IllegalArgumentException("malformed trash line: " + line);
        }
        try {
            return new TrashItem(Long.parseLong(f[0]), Instant.parse(f[1]), "d".equals(f[2]) ? Entry.Type.DIRECTORY
                    : Entry.Type.FILE, Long.parseLong(f[3]), f[4]);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("malformed trash line: " + line, e);
        }
    }
}
