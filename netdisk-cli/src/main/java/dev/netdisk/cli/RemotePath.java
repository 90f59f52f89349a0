package dev.netdisk.cli;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.RemotePaths;

/** Remote path text for messages: absolute and normalized as the server would. Stateless. */
final class RemotePath {

    private RemotePath() {
    }

    /** {@code path} made absolute against the client's working directory, {@code .} and {@code ..} resolved. */
    static String absolute(NetdiskClient c, String path) {
        return RemotePaths.normalize(path.startsWith("/") ? path : RemotePaths.join(c.cwd(), path));
    }

}
