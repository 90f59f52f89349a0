package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;

/** {@code NOOP}: does nothing; a keep-alive and a latency probe. */
final class NoopCommand implements Command {
    @Override
    public String verb() {
        return "NOOP";
    }

    @Override
    public String syntax() {
        return "NOOP";
    }

    @Override
    public String summary() {
        return "do nothing (keep-alive)";
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
        return Reply.of(ReplyCode.OK);
    }
}
