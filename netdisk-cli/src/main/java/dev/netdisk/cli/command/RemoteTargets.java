package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.RemoteGlob;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The {@code mv}/{@code cp} rule of Unix tools, on top of the protocol's exact-target MV and COPY. */
final class RemoteTargets {

    private RemoteTargets() {
    }

    /** One source and where it goes. */
    record Move(String source, String target) {
    }

    /**
     * The sources {@code patterns} name (wildcards expanded) each paired with its target: with one
     * source, {@link #into}; with several, {@code target} must be an existing directory and each
     * goes inside it under its own name.
     *
     * @throws UsageException several sources and {@code target} is no directory
     */
    static List<Move> plan(NetdiskClient c, List<String> patterns, String targetArg) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String p : patterns) {
            sources.addAll(RemoteGlob.expand(c, p));
        }
        String target = RemoteGlob.literal(targetArg);
        if (sources.size() == 1) {
            return List.of(new Move(sources.get(0), into(c, sources.get(0), target)));
        }
        if (!isDirectory(c, target)) {
            throw new UsageException(sources.size() + " sources match, so the target must be an existing directory: "
                    + target);
        }
        List<Move> moves = new ArrayList<>();
        for (String source : sources) {
            moves.add(new Move(source, RemotePath.join(target, RemotePath.basename(source))));
        }
        return moves;
    }

    /** {@code target}, or {@code target/NAME} when it ends in {@code /} or names an existing directory. */
    static String into(NetdiskClient c, String source, String target) throws IOException {
        String name = RemotePath.basename(source);
        if (target.endsWith("/")) {
            return target + name;
        }
        return isDirectory(c, target) ? RemotePath.join(target, name) : target;
    }

    private static boolean isDirectory(NetdiskClient c, String path) throws IOException {
        try {
            return c.files().stat(path).isDirectory();
        } catch (ReplyException e) {
            if (e.code() != 550) {
                throw e;
            }
            return false;
        }
    }
}
