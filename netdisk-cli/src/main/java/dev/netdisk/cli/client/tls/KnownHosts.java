package dev.netdisk.cli.client.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client's trust-on-first-use file, one server a line, {@code HOST:PORT SHA256:...}, as ssh's
 * known_hosts: the fingerprint of the self-signed certificate first seen there. Lines starting
 * with {@code #} are comments. Safe for several processes: a line is appended in one write.
 */
final class KnownHosts {

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The fingerprint saved for {@code server} ({@code host:port}). */
    Optional<String> get(String server) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String key = server.toLowerCase(Locale.ROOT);
        Optional<String> found = Optional.empty();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && !words[0].startsWith("#") && words[0].toLowerCase(Locale.ROOT).equals(key)) {
                found = Optional.of(words[1]); // the last line for a server wins
            }
        }
        return found;
    }

    /** Saves {@code fingerprint} for {@code server}; the directory is created private to the user. */
    void add(String server, String fingerprint) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.write(file, List.of(server.toLowerCase(Locale.ROOT) + " " + fingerprint), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
