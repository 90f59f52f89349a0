package dev.netdisk.cli.command;

import dev.netdisk.cli.client.ChecksumMismatchException;
import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.session.LoginRefusal;
import dev.netdisk.cli.session.NotLoggedInException;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.ProtocolException;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The one place that turns a failure into an exit code and a one-line message; reply codes map
 * to exit codes here and nowhere else. Stateless.
 */
public final class Failures {

    /** An exit code with the message to print after {@code netdisk: COMMAND: }. */
    public record Failure(ExitCode code, String message) {
    }

    private Failures() {
    }

    static ExitCode forReplyCode(int replyCode) {
        if (replyCode == 530) {
            return ExitCode.AUTH;
        }
        if (replyCode == 554) {
            return ExitCode.INTEGRITY;
        }
        if (replyCode == 421) {
            return ExitCode.CONNECTION;
        }
        if (replyCode >= 400 && replyCode < 500) {
            return ExitCode.TRANSIENT;
        }
        return ExitCode.REFUSED;
    }

    public static Failure of(Throwable t) {
        Throwable e = t instanceof UncheckedIOException u ? u.getCause() : t;
        if (e instanceof FilesFailedException f) {
            return new Failure(f.code(), f.getMessage());
        }
        if (e instanceof ReplyException r) {
            switch (LoginRefusal.of(r)) {
                case LOCKED -> {
                    return new Failure(ExitCode.LOCKED_OUT, "530 the server refuses logins from here for a while after"
                            + " too many failed ones; try again later (your saved session is kept)");
                }
                case DISABLED -> {
                    return new Failure(ExitCode.DISABLED, "530 your account is disabled by the server's administrator;"
                            + " ask them to enable it");
                }
                case REVOKED -> {
                    return new Failure(ExitCode.AUTH, "530 your session has expired or was revoked; run 'login' again");
                }
                default -> {
                    // below
                }
            }
            return new Failure(forReplyCode(r.code()), PlainLanguage.serverText(r.getMessage()));
        }
        if (e instanceof ChecksumMismatchException) {
            return new Failure(ExitCode.INTEGRITY, e.getMessage());
        }
        if (e instanceof TransferCancelledException) {
            return new Failure(ExitCode.CANCELLED, e.getMessage() + "; run again to resume");
        }
        if (e instanceof NetdiskConnectionException || e instanceof ProtocolException) {
            return new Failure(ExitCode.CONNECTION, e.getMessage());
        }
        if (e instanceof NotLoggedInException) {
            return new Failure(ExitCode.AUTH, e.getMessage());
        }
        if (e instanceof UsageException) {
            return new Failure(ExitCode.USAGE, e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            // The client library refuses values that cannot travel in a protocol line (a control character).
            return new Failure(ExitCode.USAGE, e.getMessage());
        }
        if (e instanceof FileSystemException fs) {
            return new Failure(ExitCode.LOCAL, localMessage(fs));
        }
        if (e instanceof IOException) {
            return new Failure(ExitCode.LOCAL, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        // A bug of ours: say so plainly, with the one detail that helps a report.
        return new Failure(ExitCode.FAILURE, "unexpected error (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); please report it");
    }

    private static String localMessage(FileSystemException e) {
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such local file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "local file already exists";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            what = "not a local directory";
        } else if (e instanceof DirectoryNotEmptyException) {
            what = "local directory not empty";
        } else {
            what = "local file error";
        }
        String reason = e.getReason();
        if (reason != null && !reason.isBlank()) {
            what = what + " (" + reason + ")";
        }
        return what + ": " + e.getFile();
    }
}
