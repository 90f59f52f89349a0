package dev.netdisk.cli.client;

import java.io.IOException;

/**
 * The server refused a command: it answered with a 4xx or 5xx reply code (or an unexpected one).
 *
 * <p>{@link #code()} is the three-digit reply code and {@link #text()} the server's explanation,
 * for example {@code 550} and {@code "no such file or directory: /docs/a.txt"}. The exception
 * message is {@code "550 no such file or directory: /docs/a.txt"}.
 */
public class NetdiskReplyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String text;

    public NetdiskReplyException(int code, String text) {
        super(code + " " + text);
        this.code = code;
        this.text = text;
    }

    /** The three-digit reply code, such as {@code 530}. */
    public int code() {
        return code;
    }

    /** The server's text after the reply code. */
    public String text() {
        return text;
    }

    /** True for a 4xx reply: the same command may succeed later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }
}
