package dev.netdisk.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The server's configuration file: Java properties ({@link Properties#load(Reader)}, UTF-8), one
 * key per server option, named like the option without its dashes ({@code port=2121},
 * {@code data-dir=/var/lib/netdisk}). See {@code docs/OPERATIONS.md} for the keys.
 *
 * <p>Every key is checked when the file is loaded: an unknown one is an error that names the key and
 * the file, so a typo never goes unnoticed. A bad value is an error at {@link #get}, again naming
 * both. A relative path in a value is relative to the directory of the file, not to the working
 * directory of whoever starts the server.
 *
 * <p>Immutable.
 */
public final class ConfigFile {

    /** Every key a configuration file may hold. */
    public static final Set<String> KEYS = Set.of(
            "bind", "port", "data-dir", "no-tls", "tls-cert", "tls-key", "master-key-file", "database", "blob-store", "tls-required-on-loopback", "proxy-protocol-from", "token-ttl-days", "ticket-ttl-seconds", "partial-ttl-hours",
            "password-iterations", "workers", "log-level", "log-file", "pid-file", "daemon",
            "max-connections", "max-connections-per-ip", "max-sessions-per-user", "max-tickets-per-user",
            "max-transfers-per-user", "idle-timeout-seconds", "login-timeout-seconds", "line-timeout-seconds",
            "transfer-stall-timeout-seconds", "login-failures-before-delay", "max-login-delay-seconds",
            "login-failures-before-lock", "login-lock-seconds", "registration", "registrations-per-ip-per-hour",
            "default-quota-mib", "trash-days", "max-queued-output-kib", "chat-per-second", "chat-burst",
            "max-partial-uploads-per-user", "max-partial-mib-per-user", "chat-history-mib-per-user",
            "max-entries-per-user", "upload-lease-seconds");

    private final Path file;
    private final Map<String, String> values;

    private ConfigFile(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** No file: every lookup is empty. */
    public static ConfigFile none() {
        return new ConfigFile(null, Map.of());
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws ConfigException when it cannot be read or holds a key not in {@link #KEYS}
     */
    public static ConfigFile load(Path file) throws ConfigException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String key : props.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                unknown.add(key);
            }
            values.put(key, props.getProperty(key).strip());
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("config file " + file + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(k -> "'" + k + "'").toList())
                    + " (known keys: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        return new ConfigFile(file.toAbsolutePath(), values);
    }

    /** The file, or empty for {@link #none()}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The value of {@code key} converted by {@code parse}, which throws
     * {@link IllegalArgumentException} with a reason for a bad value.
     *
     * @throws ConfigException naming the key, the value and the file when {@code parse} refuses it
     */
    public <T> Optional<T> get(String key, Function<String, T> parse) throws ConfigException {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("not a configuration key: " + key);
        }
        String raw = values.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(raw));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config file " + file + ": bad value for key '" + key + "': '" + raw + "': "
                    + e.getMessage());
        }
    }

    /** A path value; a relative one is resolved against the file's directory. */
    public Optional<Path> path(String key) throws ConfigException {
        Optional<Path> p = get(key, Values::path);
        return p.map(value -> value.isAbsolute() ? value : file.getParent().resolve(value).normalize());
    }
}
