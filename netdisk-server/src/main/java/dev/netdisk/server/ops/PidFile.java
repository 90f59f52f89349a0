package dev.netdisk.server.ops;

import dev.netdisk.server.store.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A pid file: the server's process id in decimal and a newline. The server writes it once it
 * listens (atomically: a temporary file renamed into place), so a file that exists names a server
 * that was ready; it deletes it when it stops cleanly.
 */
public final class PidFile {

    private PidFile() {
    }

    /** Writes this process's pid to {@code file}, atomically. */
    public static void write(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        PrivateFiles.createParents(abs);
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        try (java.io.OutputStream out = PrivateFiles.createNew(tmp)) {
            out.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The pid in {@code file}; empty when there is no file.
     *
     * @throws IOException when it cannot be read or does not hold a pid
     */
    public static Optional<Long> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException("pid file " + file + " does not hold a pid: '" + text + "'");
        }
    }

    /** Deletes {@code file} if it still names this process (a newer server may have replaced it). */
    public static void deleteIfOurs(Path file) {
        try {
            if (read(file).orElse(-1L) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // leave it: status and stop treat a dead pid as not running
        }
    }

    /**
     * The live process named by {@code file}, if the file exists and that process is alive and
     * looks like a netdisk server (so a pid reused by another program after a crash is not taken
     * for the server).
     */
    public static Optional<ProcessHandle> liveServer(Path file) throws IOException {
        Optional<Long> pid = read(file);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        return handle.filter(PidFile::looksLikeServer);
    }

    private static boolean looksLikeServer(ProcessHandle process) {
        // When the OS does not say (another user's process), trust the pid file.
        return process.info().commandLine().map(cmd -> cmd.contains("netdisk")).orElse(true);
    }
}
