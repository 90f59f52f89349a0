package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ModificationTime;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.store.PartialUploads;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines of a batch data connection ({@code docs/PROTOCOL.md} section 6, "Many files on one
 * data connection"): each line either begins an item ({@link DataItem}, perhaps refused at once:
 * the batch goes on) or ends the batch ({@link End}: {@code QUIT}, or a line after which the stream
 * cannot be followed). Pure: no I/O, no lookup, so the selector thread parses as it reads.
 */
final class BatchLines {

    /** The longest line, in bytes without its end: room for a path of 4,096 bytes, quoted. */
    static final int MAX_LINE_BYTES = 16 * 1024;
    static final String UPLOAD_SYNTAX = "UPLOAD path size md5|- [mtime=MS] [--overwrite]";
    static final String DOWNLOAD_SYNTAX = "DOWNLOAD path [offset]";

    /** What a line gave: an item, or the end of the batch. */
    sealed interface Parsed permits DataItem, End {
    }

    /** No more items: {@code code} and {@code text} begin the batch's last reply. */
    record End(ReplyCode code, String text) implements Parsed {
    }

    private BatchLines() {
    }

    /** The item or end that the (non-blank) line {@code text} gives. */
    static Parsed parse(String text) {
        Request request = Request.parse(text);
        String verb = request.verb();
        if (verb.equals("QUIT")) {
            return new End(ReplyCode.CLOSING, "bye");
        }
        if (!verb.equals("UPLOAD") && !verb.equals("DOWNLOAD")) {
            return new End(ReplyCode.BAD_SEQUENCE, "a batch takes only " + UPLOAD_SYNTAX + ", " + DOWNLOAD_SYNTAX
                    + " or QUIT");
        }
        List<String> words;
        try {
            words = request.args();
        } catch (CommandException e) {
            return new End(ReplyCode.ARGUMENT_ERROR, e.getMessage());
        }
        List<String> args = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String word : words) {
            (word.startsWith("--") ? options : args).add(word);
        }
        return verb.equals("UPLOAD") ? upload(args, options) : download(args, options);
    }

    /** An {@code UPLOAD} line: the end of the batch when it has no size to follow the stream by. */
    private static Parsed upload(List<String> args, List<String> options) {
        long size = args.size() < 2 ? -1 : parseSize(args.get(1));
        if (size < 0) {
            // Without its size the stream cannot be followed past this file.
            return new End(ReplyCode.ARGUMENT_ERROR, "usage: " + UPLOAD_SYNTAX + " (size a number of bytes)");
        }
        RemotePath path = null;
        String md5 = null;
        Long mtime = null;
        Reply refusal = null;
        // An optional mtime=MS after the md5 (docs/PROTOCOL.md, BATCH).
        String time = args.size() == 4 ? args.remove(3) : null;
        try {
            path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
            String sum = args.size() == 3 ? args.get(2) : "";
            if (time != null && ModificationTime.parse(time).isEmpty()) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + UPLOAD_SYNTAX
                        + " (mtime milliseconds since the epoch, years 1 to 9999): " + path);
            } else if (args.size() != 3 || !(Md5.isHex(sum) || sum.equals(PartialUploads.DEFERRED_MD5))) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + UPLOAD_SYNTAX
                        + " (md5 32 hex digits, or - for the line MD5 <md5> after the bytes): " + path);
            } else if (!options.stream().allMatch("--overwrite"::equals)) {
                refusal = unknownOption(options, "--overwrite");
            } else {
                UploadAdmission.checkTarget(path);
                md5 = Md5.isHex(sum) ? sum.toLowerCase(Locale.ROOT) : null;
                mtime = time == null ? null : ModificationTime.parse(time).getAsLong();
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("UPLOAD", e);
        }
        DataItem item = DataItem.upload(path, size, md5, options.contains("--overwrite"), 0, refusal);
        item.mtimeMillis = mtime;
        // A refused line's bytes are followed by a trailer only when the line said so.
        item.dropTrailer &= args.size() == 3 && args.get(2).equals(PartialUploads.DEFERRED_MD5);
        return item;
    }

    /** A {@code DOWNLOAD} line; nothing follows it, so it never ends the batch. */
    private static Parsed download(List<String> args, List<String> options) {
        RemotePath path = null;
        long offset = 0;
        Reply refusal = null;
        try {
            if (args.isEmpty() || args.size() > 2) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + DOWNLOAD_SYNTAX);
            } else {
                path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
                offset = args.size() == 2 ? parseSize(args.get(1)) : 0;
                if (offset < 0) {
                    refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "offset must be a non-negative number of bytes: "
                            + args.get(1));
                } else if (!options.isEmpty()) {
                    refusal = unknownOption(options, null);
                }
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("DOWNLOAD", e);
        }
        return DataItem.download(path, Math.max(offset, 0), refusal);
    }

    private static Reply unknownOption(List<String> options, String known) {
        return Reply.of(ReplyCode.ARGUMENT_ERROR, "unknown option: " + options.stream()
                .filter(o -> !o.equals(known)).findFirst().orElseThrow());
    }

    private static long parseSize(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
