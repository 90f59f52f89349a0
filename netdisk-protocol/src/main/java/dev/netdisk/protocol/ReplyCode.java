package dev.netdisk.protocol;

/**
 * The reply codes of the netdisk protocol, with their default text.
 *
 * <p>Codes and classes follow RFC 959, section 4.2; {@code docs/PROTOCOL.md} lists when each is
 * given. {@code 521} (already exists) and {@code 554} (checksum mismatch) are the protocol's own;
 * {@code 552} is RFC 959's "exceeded storage allocation", given for a quota.
 */
public enum ReplyCode {
    FILE_STATUS_OK(150, "file status okay"),
    OK(200, "OK"),
    STATUS(211, "status"),
    DIRECTORY_STATUS(212, "directory status"),
    FILE_STATUS(213, "file status"),
    HELP(214, "help"),
    SERVICE_READY(220, "service ready"),
    CLOSING(221, "bye"),
    TRANSFER_COMPLETE(226, "transfer complete"),
    LOGGED_IN(230, "logged in"),
    /** RFC 4217: {@code AUTH TLS} accepted; the TLS handshake follows at once. */
    SECURITY_OK(234, "security data exchange complete"),
    FILE_ACTION_OK(250, "requested file action okay"),
    PATH_CREATED(257, "path created"),
    PENDING(350, "requested file action pending further information"),
    SERVICE_CLOSING(421, "service not available, closing connection"),
    TICKET_INVALID(425, "unknown or expired ticket"),
    TRANSFER_ABORTED(426, "transfer aborted"),
    FILE_BUSY(450, "file unavailable, try again later"),
    LOCAL_ERROR(451, "local error in processing"),
    INSUFFICIENT_STORAGE(452, "insufficient storage"),
    SYNTAX_ERROR(500, "syntax error"),
    ARGUMENT_ERROR(501, "syntax error in arguments"),
    NOT_IMPLEMENTED(502, "command not implemented"),
    BAD_SEQUENCE(503, "bad sequence of commands"),
    PARAMETER_NOT_IMPLEMENTED(504, "command not implemented for that parameter"),
    ALREADY_EXISTS(521, "already exists"),
    NOT_LOGGED_IN(530, "not logged in"),
    /** RFC 4217: refused by policy, here: a command that carries a secret on a connection without TLS. */
    POLICY_DENIED(534, "request denied for policy reasons"),
    FILE_UNAVAILABLE(550, "no such file or directory"),
    EXCEEDED_STORAGE(552, "exceeded storage allocation"),
    NAME_NOT_ALLOWED(553, "file name not allowed"),
    CHECKSUM_MISMATCH(554, "checksum mismatch");

    private final int code;
    private final String defaultText;

    ReplyCode(int code, String defaultText) {
        this.code = code;
        this.defaultText = defaultText;
    }

    /** The three-digit code, 100-599. */
    public int code() {
        return code;
    }

    /** The text used when a reply gives none of its own. */
    public String defaultText() {
        return defaultText;
    }
}
