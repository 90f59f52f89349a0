package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;

/** {@code QUIT}: says goodbye; the connection closes once the reply is written. */
final class QuitCommand implements Command {
    @Override
    public String verb() {
        return "QUIT";
    }

    @Override
    public String syntax() {
        return "QUIT";
    }

    @Override
    public String summary() {
        return "close the connection";
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
    public Outcome execute(Session session, Request request) {
        return Reply.of(ReplyCode.CLOSING, "bye");
    }
}
