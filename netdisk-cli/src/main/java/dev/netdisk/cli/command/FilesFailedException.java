package dev.netdisk.cli.command;

/**
 * Some files of a recursive transfer failed (each was reported on its own line); the exit code is
 * the first failed file's, in path order.
 */
final class FilesFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ExitCode code;

    FilesFailedException(ExitCode code, String message) {
        super(message);
        this.code = code;
    }

    ExitCode code() {
        return code;
    }
}
