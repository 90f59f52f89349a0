package dev.netdisk.server.admin;

import dev.netdisk.server.ops.DataDirLock;
import dev.netdisk.server.ops.PidFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the running server a {@code stop} or {@code status} is about: by its pid file when one is
 * given (option or config file), else by the data directory's lock, whose file holds the pid of
 * the server holding it.
 */
final class ServerProcess {

    private ServerProcess() {
    }

    /** What was found. {@code stalePid} is set when a pid file names a process that is gone. */
    record Found(Optional<ProcessHandle> process, Optional<Long> stalePid, String source) {
    }

    static Found find(Optional<Path> pidFile, Path dataDir) throws IOException {
        if (pidFile.isPresent()) {
            Optional<Long> pid = PidFile.read(pidFile.get());
            Optional<ProcessHandle> live = PidFile.liveServer(pidFile.get());
            return new Found(live, live.isPresent() ? Optional.empty() : pid, "pid file " + pidFile.get());
        }
        if (DataDirLock.isHeld(dataDir)) {
            String text = Files.readString(dataDir.resolve(DataDirLock.FILE_NAME), StandardCharsets.US_ASCII).strip();
            try {
                return new Found(ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive), Optional.empty(),
                        "lock of " + dataDir);
            } catch (NumberFormatException e) {
                throw new IOException("the lock file of " + dataDir + " does not hold a pid");
            }
        }
        return new Found(Optional.empty(), Optional.empty(), "lock of " + dataDir);
    }
}
