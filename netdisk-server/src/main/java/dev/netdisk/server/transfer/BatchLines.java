package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.errors.ErrorReplies;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines of a batch data connection ({@code docs/PROTOCOL.md} section 6, "Many small files on
 * one data connection"): each line either begins an item ({@link BatchItem}, perhaps refused at
 * once: the batch goes on) or ends the batch ({@link End}: {@code QUIT}, or a line after which the
 * stream cannot be followed). Pure: no I/O, no lookup, so the selector thread parses as it reads.
 */
final class BatchLines {

    /** The longest line, in bytes without its end: room for a path of 4,096 bytes, quoted. */
    static final int MAX_LINE_BYTES = 16 * 1024;
    static final String UPLOAD_SYNTAX = "UPLOAD path size md5 [--overwrite]";
    static final String DOWNLOAD_SYNTAX = "DOWNLOAD path";

    /** What a line gave: an item, or the end of the batch. */
    sealed interface Parsed permits BatchItem, End {
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
        Reply refusal = null;
        try {
            path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
            if (size > ProtocolLimits.SMALL_FILE_BYTES) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "a batch takes files of at most "
                        + ProtocolLimits.SMALL_FILE_BYTES + " bytes; send this one with UPLOAD on the control connection: "
                        + path);
            } else if (args.size() != 3 || !Md5.isHex(args.get(2))) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + UPLOAD_SYNTAX + " (md5 32 hex digits): " + path);
            } else if (!options.stream().allMatch("--overwrite"::equals)) {
                refusal = unknownOption(options, "--overwrite");
            } else {
                UploadAdmission.checkTarget(path);
                md5 = args.get(2).toLowerCase(Locale.ROOT);
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("UPLOAD", e);
        }
        return BatchItem.upload(path, size, md5, options.contains("--overwrite"), refusal);
    }

    /** A {@code DOWNLOAD} line; nothing follows it, so it never ends the batch. */
    private static Parsed download(List<String> args, List<String> options) {
        RemotePath path = null;
        Reply refusal = null;
        try {
            if (args.size() != 1) {
                refusal = Reply.of(ReplyCode.ARGUMENT_ERROR, "usage: " + DOWNLOAD_SYNTAX + " (a batch sends whole files)");
            } else {
                path = RemotePath.resolve(RemotePath.ROOT, args.get(0));
                if (!options.isEmpty()) {
                    refusal = unknownOption(options, null);
                }
            }
        } catch (Exception e) {
            refusal = ErrorReplies.toReply("DOWNLOAD", e);
        }
        return BatchItem.download(path, refusal);
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
