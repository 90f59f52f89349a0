package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.protocol.StartTls;
import dev.netdisk.server.session.Session;
import java.util.Locale;

/**
 * {@code AUTH TLS}: starts TLS on this connection, as RFC 4217 does for FTP. The connection
 * answers {@code 234} and then runs the handshake (docs/PROTOCOL.md section 1a).
 */
final class AuthCommand implements Command {

    private final boolean enabled;

    /** @param enabled whether the server offers TLS at all */
    AuthCommand(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public String verb() {
        return "AUTH";
    }

    @Override
    public String syntax() {
        return "AUTH TLS";
    }

    @Override
    public String summary() {
        return "start TLS on this connection (234, then the handshake)";
    }

    @Override
    public boolean needsLogin() {
        return false;
    }

    @Override
    public boolean runsOnSelector() {
        return true;
    }

    @Override
    public Outcome execute(Session session, Request request) throws CommandException {
        String mechanism = request.rest().trim().toUpperCase(Locale.ROOT);
        if (!mechanism.equals("TLS") && !mechanism.equals("TLS-C")) {
            throw new CommandException(ReplyCode.PARAMETER_NOT_IMPLEMENTED,
                    "AUTH " + (mechanism.isEmpty() ? "needs a mechanism" : "supports only TLS") + "; send AUTH TLS");
        }
        if (!enabled) {
            throw new CommandException(ReplyCode.NOT_IMPLEMENTED, "TLS is switched off on this server");
        }
        if (session.isTls()) {
            throw new CommandException(ReplyCode.BAD_SEQUENCE, "TLS already started on this connection");
        }
        return StartTls.INSTANCE;
    }
}
