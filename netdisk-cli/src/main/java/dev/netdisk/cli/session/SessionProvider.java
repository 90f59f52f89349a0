package dev.netdisk.cli.session;

/** Implemented by the root commands: how a verb command finds the session it runs in. */
public interface SessionProvider {
    Session session();
}
