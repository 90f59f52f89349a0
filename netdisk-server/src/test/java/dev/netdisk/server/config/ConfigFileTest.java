package dev.netdisk.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void readsKnownKeysAndResolvesRelativePathsAgainstTheFile() throws Exception {
        Path file = Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("s.properties"),
                "port = 4000\ndata-dir = ../data\nlog-file=/var/log/n.log\ndaemon = TRUE\n");

        ConfigFile config = ConfigFile.load(file);

        assertThat(config.get("port", Values::port)).contains(4000);
        assertThat(config.path("data-dir")).contains(dir.resolve("data").toAbsolutePath());
        assertThat(config.path("log-file")).contains(Path.of("/var/log/n.log"));
        assertThat(config.get("daemon", Values::bool)).contains(true);
        assertThat(config.get("workers", s -> Values.atLeast(s, 1))).isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "port=1\nworker=2\ndatadir=x\n");

        assertThatThrownBy(() -> ConfigFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'datadir', 'worker'")
                .hasMessageContaining("known keys: bind, blob-store, chat-burst, chat-history-mib-per-user, chat-per-second, daemon, data-dir");
    }

    @Test
    void aBadValueIsNamedWithKeyValueAndFile() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "workers = 0\ndaemon = yes\nlog-level = loud\n");
        ConfigFile config = ConfigFile.load(file);

        assertThatThrownBy(() -> config.get("workers", s -> Values.atLeast(s, 1)))
                .hasMessage("config file " + file.toAbsolutePath() + ": bad value for key 'workers': '0': must be at least 1, not 0");
        assertThatThrownBy(() -> config.get("daemon", Values::bool)).hasMessageContaining("'daemon': 'yes': expected true or false");
        assertThatThrownBy(() -> config.get("log-level", LogLevel::parse)).hasMessageContaining("'log-level': 'loud'");
    }

    @Test
    void aMissingFileIsAConfigError() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> ConfigFile.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file " + missing);
    }

    @Test
    void noFileHasNoValues() throws Exception {
        assertThat(ConfigFile.none().get("port", Values::port)).isEmpty();
        assertThat(ConfigFile.none().path("data-dir")).isEmpty();
    }
}
