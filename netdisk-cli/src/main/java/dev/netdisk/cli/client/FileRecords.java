package dev.netdisk.cli.client;

/** Parsing shared by the file-management records. Stateless. */
final class FileRecords {

    private FileRecords() {
    }

    static long longParam(Reply reply, String key) throws NetdiskConnectionException {
        return reply.longParam(key);
    }

    /** The text after the {@code key=value} words of a reply line. */
    static String afterParams(String text) {
        String[] words = text.split(" ");
        int i = 0;
        int pos = 0;
        while (i < words.length && words[i].indexOf('=') > 0) {
            pos += words[i].length() + 1;
            i++;
        }
        return pos >= text.length() ? "" : text.substring(pos);
    }
}
