package dev.netdisk.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The saved sessions of {@code netdisk login}: one session token per host, port and user, in
 * {@code CONFIG_DIR/sessions.json} with mode 0600 (the directory 0700). The format is in
 * {@code docs/CLI.md}. Not thread-safe; every call reads or rewrites the whole (small) file, and
 * a rewrite goes through a temporary file and an atomic rename so a crash never leaves half a file.
 */
final class SessionStore {

    /** One saved session; {@code saved} orders them so the newest wins when no user is given. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(String host, int port, String user, String token, String expires, String saved) {

        boolean matches(String h, int p) {
            return host.equalsIgnoreCase(h) && port == p;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FileContent(List<Saved> sessions) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Path file;

    SessionStore(Path configDir) {
        this.dir = configDir;
        this.file = configDir.resolve("sessions.json");
    }

    Path file() {
        return file;
    }

    /** The saved session for that user, if any. */
    Optional<Saved> find(String host, int port, String user) throws IOException {
        String u = user.toLowerCase(Locale.ROOT);
        return read().stream().filter(s -> s.matches(host, port) && s.user().equals(u)).findFirst();
    }

    /** The most recently saved session for that server, whoever its user. */
    Optional<Saved> newest(String host, int port) throws IOException {
        return read().stream().filter(s -> s.matches(host, port))
                .max(Comparator.comparing(s -> s.saved() == null ? "" : s.saved()));
    }

    void save(String host, int port, String user, String token, Instant expires) throws IOException {
        List<Saved> all = new ArrayList<>(read());
        String u = user.toLowerCase(Locale.ROOT);
        all.removeIf(s -> s.matches(host, port) && s.user().equals(u));
        all.add(new Saved(host.toLowerCase(Locale.ROOT), port, u, token, expires == null ? null : expires.toString(),
                Instant.now().toString()));
        write(all);
    }

    /** Removes the saved session; true if there was one. */
    boolean remove(String host, int port, String user) throws IOException {
        List<Saved> all = new ArrayList<>(read());
        String u = user.toLowerCase(Locale.ROOT);
        boolean removed = all.removeIf(s -> s.matches(host, port) && s.user().equals(u));
        if (removed) {
            write(all);
        }
        return removed;
    }

    private List<Saved> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        FileContent content = JSON.readValue(file.toFile(), FileContent.class);
        return content.sessions() == null ? List.of() : content.sessions();
    }

    private void write(List<Saved> sessions) throws IOException {
        createPrivateDir();
        Path tmp = dir.resolve("sessions.json.tmp");
        Files.deleteIfExists(tmp);
        createPrivateFile(tmp);
        JSON.writeValue(tmp.toFile(), new FileContent(sessions));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void createPrivateDir() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (isPosix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private void createPrivateFile(Path path) throws IOException {
        try {
            if (isPosix()) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(path);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + path + ": it appeared meanwhile", e);
        }
    }

    private boolean isPosix() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
