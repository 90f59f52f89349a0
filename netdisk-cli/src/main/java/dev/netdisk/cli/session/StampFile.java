package dev.netdisk.cli.session;

import dev.netdisk.cli.client.UploadStamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * {@link UploadStamps} kept in {@code uploads.properties} in the config directory, one entry per
 * interrupted upload: key {@code HOST:PORT USER /remote/path}, value
 * {@code SIZE MTIME_MILLIS ANNOUNCED LOCALPATH}. An entry lives from the moment the server accepted
 * an upload until it finished or failed for good, so normally the file is empty. Read and
 * rewritten whole (atomically) on each change; a missing or unreadable file means no stamps, and a
 * failure to write is ignored: at worst the resume falls back to the final MD5 check.
 *
 * <p>Thread-safe within one process; two processes may overwrite each other's entries, which
 * costs only that fallback.
 */
public final class StampFile implements UploadStamps {

    private final Path file;

    /** The stamps of the config directory {@code configDir}. */
    public StampFile(Path configDir) {
        this.file = configDir.resolve("uploads.properties");
    }

    @Override
    public synchronized Stamp get(String key) {
        String value = read().getProperty(key);
        if (value == null) {
            return null;
        }
        String[] parts = value.split(" ", 4);
        try {
            return parts.length == 4 ? new Stamp(parts[3], Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public synchronized void put(String key, Stamp stamp) {
        Properties p = read();
        p.setProperty(key, stamp.size() + " " + stamp.mtimeMillis() + " " + stamp.announced() + " " + stamp.local());
        write(p);
    }

    @Override
    public synchronized void remove(String key) {
        Properties p = read();
        if (p.remove(key) != null) {
            write(p);
        }
    }

    private Properties read() {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // unreadable: as if nothing was recorded
            }
        }
        return p;
    }

    private void write(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "uploads", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "netdisk: interrupted uploads, to notice a local file changed before a resume");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // not recorded: a changed file is then caught by the final MD5 check instead
        }
    }
}
