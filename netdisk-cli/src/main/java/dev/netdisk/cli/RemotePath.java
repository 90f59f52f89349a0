package dev.netdisk.cli;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.RemotePaths;
import java.util.ArrayDeque;
import java.util.Deque;

/** Remote path text for messages: absolute and normalized as the server would. Stateless. */
final class RemotePath {

    private RemotePath() {
    }

    /** {@code path} made absolute against the client's working directory, {@code .} and {@code ..} resolved. */
    static String absolute(NetdiskClient c, String path) {
        return normalize(path.startsWith("/") ? path : RemotePaths.join(c.cwd(), path));
    }

    /** Drops empty and {@code .} components, applies {@code ..} (never above {@code /}). */
    static String normalize(String absolute) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
