package dev.netdisk.cli.client;

import java.io.IOException;

/**
 * A transfer's bytes did not hash to the expected MD5: nothing was stored or replaced.
 *
 * <p>For an upload the server detected it (reply {@code 554}) and discarded the bytes; for a
 * download the client detected it and deleted its {@code .part} file. In both cases running the
 * transfer again starts from the beginning.
 */
public class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String message, String expected, String actual) {
        super(message);
        this.expected = expected;
        this.actual = actual;
    }

    /** The MD5 the file should have had (32 lower-case hex digits), or {@code null} if unknown. */
    public String expected() {
        return expected;
    }

    /** The MD5 of the bytes actually received (32 lower-case hex digits), or {@code null} if unknown. */
    public String actual() {
        return actual;
    }
}
