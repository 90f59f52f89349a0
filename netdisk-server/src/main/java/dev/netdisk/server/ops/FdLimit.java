package dev.netdisk.server.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The process's limit on open file descriptors, and how many connections fit under it.
 *
 * <p>Java cannot call {@code setrlimit}, so the server cannot raise its soft limit to the hard one
 * itself: {@code bin/netdisk-server} does that ({@code ulimit -n $(ulimit -Hn)}) before starting
 * the JVM. Here the server reads the soft limit from {@code /proc/self/limits} (Linux) and, when
 * {@code max-connections} would not fit, lowers it. A reserve stays free for the database, the
 * admin socket, log and blob files: each data connection also holds a blob file open, and SQLite
 * opens its WAL and shared-memory files.
 */
public final class FdLimit {

    /** Descriptors never given to connections: database, admin socket, log, blob files, the JVM's own. */
    public static final int MIN_RESERVE = 64;

    private FdLimit() {
    }

    /** The soft limit on open files of this process, when the platform says (Linux). */
    public static OptionalLong softLimit() {
        return softLimit(Path.of("/proc/self/limits"));
    }

    static OptionalLong softLimit(Path limitsFile) {
        try {
            List<String> lines = Files.readAllLines(limitsFile);
            for (String line : lines) {
                if (line.startsWith("Max open files")) {
                    String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                    return words[0].equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(words[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing to check against
        }
        return OptionalLong.empty();
    }

    /** How many descriptors this process has open now, when the platform says. */
    public static OptionalLong openNow() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return OptionalLong.of(fds.count());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The descriptors kept in reserve under a soft limit of {@code limit}: a tenth of it, at least {@link #MIN_RESERVE}. */
    static long reserve(long limit) {
        return Math.max(MIN_RESERVE, limit / 10);
    }

    /**
     * The most connections that fit under {@code softLimit} with {@code openNow} descriptors already
     * in use and the reserve kept; {@code maxConnections} when it fits (or when 0, no limit, is not
     * asked for and nothing is known). Never below 1.
     */
    public static int fit(int maxConnections, OptionalLong softLimit, OptionalLong openNow) {
        if (softLimit.isEmpty()) {
            return maxConnections;
        }
        long room = softLimit.getAsLong() - openNow.orElse(0) - reserve(softLimit.getAsLong());
        int fits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, room));
        return maxConnections == 0 || maxConnections > fits ? fits : maxConnections;
    }
}
