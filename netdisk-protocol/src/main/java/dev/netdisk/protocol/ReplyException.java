package dev.netdisk.protocol;

import java.io.IOException;

/**
 * The server answered with a reply other than the one expected (a refusal such as {@code 550},
 * {@code 530} or {@code 452}); {@link #code()} and {@link #text()} are that reply's.
 */
public class ReplyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String text;

    /**
     * @param code the three-digit reply code, such as {@code 530}
     * @param text the reply's final line after the code
     */
    public ReplyException(int code, String text) {
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

    /** True for a 4xx reply: the same command may succeed later (RFC 959 section 4.2). */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }
}
