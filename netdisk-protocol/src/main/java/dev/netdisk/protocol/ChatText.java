package dev.netdisk.protocol;

/**
 * How a chat message travels in one protocol line ({@code docs/PROTOCOL.md} section 7, "Message
 * text"): a line break is written {@code \n} and a backslash {@code \\}; any other backslash
 * stands for itself, so text typed by hand with {@code nc} ({@code C:\temp}) arrives unchanged.
 * The server stores and relays the text as sent; clients escape what they send and unescape what
 * they receive.
 *
 * <p>Pure functions; thread-safe.
 */
public final class ChatText {

    private ChatText() {
    }

    /**
     * The wire form of {@code message}: CR LF and lone CR become a line break, then every line
     * break is {@code \n} and every backslash {@code \\}.
     *
     * @throws IllegalArgumentException if the message holds a control character other than a line
     *                                  break or TAB (it could not be shown as typed)
     */
    public static String escape(String message) {
        String text = message.replace("\r\n", "\n").replace('\r', '\n');
        checkPrintable(text);
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The message a wire form stands for: {@code \n} a line break, {@code \\} a backslash, other backslashes as they are. */
    public static String unescape(String wire) {
        if (wire.indexOf('\\') < 0) {
            return wire;
        }
        StringBuilder out = new StringBuilder(wire.length());
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            if (c == '\\' && i + 1 < wire.length()) {
                char next = wire.charAt(i + 1);
                if (next == 'n') {
                    out.append('\n');
                    i++;
                    continue;
                }
                if (next == '\\') {
                    out.append('\\');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Refuses a control character other than LF and TAB (U+0000-U+001F, U+007F-U+009F).
     *
     * @throws IllegalArgumentException naming the character by its code
     */
    public static void checkPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\t' && isControl(c)) {
                throw new IllegalArgumentException(String.format("the message holds a control character (U+%04X)", (int) c));
            }
        }
    }

    /** A control character as the protocol's line decoder refuses it (TAB included). */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }
}
