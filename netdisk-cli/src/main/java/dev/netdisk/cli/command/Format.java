package dev.netdisk.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netdisk.cli.client.Entry;
import java.time.Instant;
import dev.netdisk.cli.session.Times;
import java.util.List;

/** Human and JSON renderings of entries; the JSON shape is documented in {@code docs/CLI.md}. Stateless. */
final class Format {

    /**
     * Built on first use: an ObjectMapper loads about 400 classes, which a one-shot {@code ls}
     * without {@code --json} would otherwise pay for at every start (docs/PERFORMANCE.md).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private Format() {
    }

    /** One listing line: type, size in bytes, time (Times), name ({@code /} after a directory). */
    static String listingLine(Entry e, Times times) {
        return String.format("%s %12d  %s  %s%s", e.isDirectory() ? "d" : "-", e.size(),
                times.dateTime(e.mtime()), e.name(), e.isDirectory() && !e.name().endsWith("/") ? "/" : "");
    }

    /** {@link #listingLine} with the size in KiB, MiB, ... ({@code ls -h}); a directory shows {@code -}. */
    static String humanListingLine(Entry e, Times times) {
        return String.format("%s %10s  %s  %s%s", e.isDirectory() ? "d" : "-", e.isDirectory() ? "-" : humanSize(e.size()),
                times.dateTime(e.mtime()), e.name(), e.isDirectory() && !e.name().endsWith("/") ? "/" : "");
    }

    /** A local file in the same shape as {@link #listingLine(Entry)}. */
    static String localListingLine(boolean dir, long size, Instant mtime, String name, Times times) {
        return String.format("%s %12d  %s  %s%s", dir ? "d" : "-", dir ? 0 : size, times.dateTime(mtime), name,
                dir ? "/" : "");
    }

    static String statText(String path, Entry e, Times times) {
        return "path:  " + path + "\n"
                + "type:  " + (e.isDirectory() ? "directory" : "file") + "\n"
                + "size:  " + e.size() + " bytes" + (e.isDirectory() ? "" : " (" + humanSize(e.size()) + ")") + "\n"
                + "mtime: " + times.dateTime(e.mtime()) + "\n"
                + "md5:   " + (e.md5() == null ? "-" : e.md5());
    }

    static ObjectNode json(Entry e) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", e.name());
        node.put("type", e.isDirectory() ? "directory" : "file");
        node.put("size", e.size());
        node.put("mtime", e.mtime().toString());
        if (e.md5() == null) {
            node.putNull("md5");
        } else {
            node.put("md5", e.md5());
        }
        return node;
    }

    static String jsonListing(List<Entry> entries) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        entries.forEach(e -> array.add(json(e)));
        return write(array);
    }

    static String jsonStat(String path, Entry e) {
        ObjectNode node = json(e);
        node.put("path", path);
        return write(node);
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }

    private static String write(Object node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
