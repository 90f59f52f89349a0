package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.session.Env;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on loopback port 0 with a temp data directory, and {@link Cli} pointed at it with a
 * temp config directory and working directory {@link #work}: what most CLI tests start from.
 */
abstract class CliTestSupport {

    static final String PASSWORD = "correct-horse";

    @TempDir
    Path tmp;

    NetdiskServer server;
    Cli cli;
    Path work;

    @BeforeEach
    void startServer() throws Exception {
        server = NetdiskServer.start(config(tmp.resolve("server")));
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new Cli(tmp.resolve("config"), work).server(server.port());
    }

    /** The test server's configuration; a test class overrides it to change a limit. */
    ServerConfig config(Path dataDir) {
        return ServerConfig.forTests(dataDir);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Registers {@code user} and saves their session, as 'netdisk register' and 'netdisk login' do. */
    void loggedIn(String user) {
        cli.env(Env.PASSWORD, PASSWORD);
        assertThat(cli.run("register", user).code()).isZero();
        assertThat(cli.run("login", user).code()).isZero();
        cli.env(Env.PASSWORD, null);
    }
}
