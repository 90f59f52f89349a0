package dev.netdisk.cli.session;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 *
 * <p>The file is read and written with Jackson's streaming parser and generator, not its object
 * mapper: every command that talks to a server reads this file first, and building an
 * {@code ObjectMapper} and introspecting the records was a fifth of a one-shot command's start
 * (docs/PERFORMANCE.md, "Why the code is shaped this way").
 */
public final class SessionStore {

    /** One saved session; {@code saved} orders them so the newest wins when no user is given. */
    public record Saved(String host, int port, String user, String token, String expires, String saved) {

        boolean matches(String h, int p) {
            return host.equalsIgnoreCase(h) && port == p;
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

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
    public Optional<Saved> find(String host, int port, String user) throws IOException {
        String u = user.toLowerCase(Locale.ROOT);
        return read().stream().filter(s -> s.matches(host, port) && s.user().equals(u)).findFirst();
    }

    /** The most recently saved session for that server, whoever its user. */
    public Optional<Saved> newest(String host, int port) throws IOException {
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
    public boolean remove(String host, int port, String user) throws IOException {
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
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            return parse(parser);
        }
    }

    /**
     * {@code {"sessions": [{"host": ..., "port": ..., ...}, ...]}}; fields it does not know are
     * skipped, so a newer version's file still reads.
     *
     * @throws JsonParseException the file is not JSON of that shape
     */
    private static List<Saved> parse(JsonParser parser) throws IOException {
        List<Saved> sessions = new ArrayList<>();
        expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken value = parser.nextToken();
            if (!parser.currentName().equals("sessions") || value == JsonToken.VALUE_NULL) {
                parser.skipChildren();
                continue;
            }
            expect(parser, value, JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                sessions.add(parseSaved(parser));
            }
            expect(parser, parser.currentToken(), JsonToken.END_ARRAY);
        }
        expect(parser, parser.currentToken(), JsonToken.END_OBJECT);
        return sessions;
    }

    private static Saved parseSaved(JsonParser parser) throws IOException {
        String host = null;
        int port = 0;
        String user = null;
        String token = null;
        String expires = null;
        String saved = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "host" -> host = parser.getValueAsString();
                case "port" -> port = parser.getValueAsInt();
                case "user" -> user = parser.getValueAsString();
                case "token" -> token = parser.getValueAsString();
                case "expires" -> expires = parser.getValueAsString();
                case "saved" -> saved = parser.getValueAsString();
                default -> parser.skipChildren();
            }
        }
        expect(parser, parser.currentToken(), JsonToken.END_OBJECT);
        if (host == null || user == null || token == null) {
            throw new JsonParseException(parser, "a saved session needs host, user and token");
        }
        return new Saved(host, port, user, token, expires, saved);
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected) throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(parser, "expected " + expected.asString() + " here, not " + actual);
        }
    }

    private void write(List<Saved> sessions) throws IOException {
        createPrivateDir();
        Path tmp = dir.resolve("sessions.json.tmp");
        Files.deleteIfExists(tmp);
        createPrivateFile(tmp);
        try (JsonGenerator out = JSON.createGenerator(tmp.toFile(), JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
            out.writeStartObject();
            out.writeArrayFieldStart("sessions");
            for (Saved s : sessions) {
                out.writeStartObject();
                out.writeStringField("host", s.host());
                out.writeNumberField("port", s.port());
                out.writeStringField("user", s.user());
                out.writeStringField("token", s.token());
                out.writeStringField("expires", s.expires());
                out.writeStringField("saved", s.saved());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
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
