package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;

/** The {@code mv}/{@code cp} rule of Unix tools, on top of the protocol's exact-target MV and COPY. */
final class RemoteTargets {

    private RemoteTargets() {
    }

    /** {@code target}, or {@code target/NAME} when it ends in {@code /} or names an existing directory. */
    static String into(NetdiskClient c, String source, String target) throws IOException {
        String name = RemotePath.basename(source);
        if (target.endsWith("/")) {
            return target + name;
        }
        try {
            if (c.files().stat(target).isDirectory()) {
                return RemotePath.join(target, name);
            }
        } catch (ReplyException e) {
            if (e.code() != 550) {
                throw e;
            }
        }
        return target;
    }
}
