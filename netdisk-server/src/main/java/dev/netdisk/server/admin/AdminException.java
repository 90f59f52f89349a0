package dev.netdisk.server.admin;

/** An administration command that cannot be done; its message is printed as the one error line. */
final class AdminException extends Exception {
    AdminException(String message) {
        super(message);
    }
}
