package dev.netdisk.cli;

/** Implemented by the root commands: how a verb command finds the session it runs in. */
interface SessionProvider {
    Session session();
}
