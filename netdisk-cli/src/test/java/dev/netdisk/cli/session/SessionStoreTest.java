package dev.netdisk.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

    @TempDir
    Path dir;

    @Test
    void savesFindsAndRemovesPerHostPortAndUser() throws Exception {
        SessionStore store = new SessionStore(dir.resolve("cfg"));
        store.save("Localhost", 2121, "Alice", "t1", Instant.parse("2026-12-21T13:50:00Z"));
        store.save("localhost", 2121, "bob", "t2", null);
        store.save("localhost", 2122, "alice", "t3", null);

        assertThat(store.find("localhost", 2121, "alice")).map(SessionStore.Saved::token).contains("t1");
        assertThat(store.find("localhost", 2122, "ALICE")).map(SessionStore.Saved::token).contains("t3");
        assertThat(store.newest("localhost", 2121)).map(SessionStore.Saved::user).contains("bob");

        store.save("localhost", 2121, "alice", "t4", null);
        assertThat(store.find("localhost", 2121, "alice")).map(SessionStore.Saved::token).contains("t4");
        assertThat(store.remove("localhost", 2121, "alice")).isTrue();
        assertThat(store.remove("localhost", 2121, "alice")).isFalse();
        assertThat(store.find("localhost", 2121, "alice")).isEmpty();
    }

    @Test
    void theFileIsPrivate() throws Exception {
        SessionStore store = new SessionStore(dir.resolve("cfg"));
        store.save("localhost", 2121, "alice", "secret", null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cfg")))).isEqualTo("rwx------");
    }

    @Test
    void theFileHasTheShapeDocumentedInCliMd() throws Exception {
        SessionStore store = new SessionStore(dir.resolve("cfg"));
        store.save("localhost", 2121, "alice", "bf3b", Instant.parse("2026-12-21T14:02:31.140Z"));
        String json = Files.readString(store.file());
        assertThat(json).startsWith("""
                {
                  "sessions" : [ {
                    "host" : "localhost",
                    "port" : 2121,
                    "user" : "alice",
                    "token" : "bf3b",
                    "expires" : "2026-12-21T14:02:31.140Z",
                    "saved" : \"""");
        store.save("localhost", 2121, "bob", "t2", null);
        assertThat(Files.readString(store.file())).contains("\"expires\" : null");
        assertThat(store.find("localhost", 2121, "bob")).map(SessionStore.Saved::expires).isEmpty();
    }

    @Test
    void fieldsItDoesNotKnowAreSkippedAndADamagedFileIsAnError() throws Exception {
        SessionStore store = new SessionStore(dir);
        Files.writeString(store.file(), """
                {"version": 2, "sessions": [{"host": "h", "port": 1, "user": "u", "token": "t",
                  "expires": null, "saved": "2026-11-21T00:00:00Z", "labels": {"a": [1, 2]}}], "more": [{}]}
                """);
        assertThat(store.find("h", 1, "u")).map(SessionStore.Saved::token).contains("t");

        Files.writeString(store.file(), "{\"sessions\": [{\"host\": \"h\"");
        assertThatThrownBy(() -> store.find("h", 1, "u")).isInstanceOf(IOException.class);
        Files.writeString(store.file(), "{\"sessions\": [{\"host\": \"h\", \"port\": 1}]}");
        assertThatThrownBy(() -> store.find("h", 1, "u")).isInstanceOf(IOException.class)
                .hasMessageContaining("a saved session needs host, user and token");
        Files.writeString(store.file(), "[]");
        assertThatThrownBy(() -> store.find("h", 1, "u")).isInstanceOf(IOException.class);
    }
}
