package dev.netdisk.protocol;

/**
 * The sizes both sides of the protocol agree on, named once ({@code docs/PROTOCOL.md} sections 1,
 * 6 and 10). All in bytes.
 */
public final class ProtocolLimits {

    private ProtocolLimits() {
    }

    /** The longest command or reply line, without its LF: 8 KiB (section 1). */
    public static final int MAX_LINE_BYTES = 8192;

    /**
     * A small file: at most 64 KiB. The server keeps its bytes in the database instead of a blob file
     * and never keeps a partial one for resume; a batch carries files up to this size (section 6).
     */
    public static final int SMALL_FILE_BYTES = 64 * 1024;

    /**
     * The unit of a transfer's buffers and pipeline stages: 1 MiB. Files up to this size are cheap
     * enough to read whole into memory on the client.
     */
    public static final int CHUNK_BYTES = 1 << 20;

    /**
     * A bulk transfer: at least 8 MiB. Its bytes run on the server's low-priority bulk pool and are
     * written with direct I/O ({@link PartialFileWriter}) on both sides.
     */
    public static final long BULK_MIN_BYTES = 8L << 20;
}
