package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option parsing and the failures that need no server, through picocli's execute. */
class OptionsTest {

    @TempDir
    Path tmp;

    private Cli cli;
    private int closedPort;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(tmp.resolve("config"), tmp);
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();  // nothing listens there once closed
        }
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result r = cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("register", "login", "logout", "ls", "makedir", "stat", "upload", "download", "chat",
                "shell", "Exit codes:", "integrity failure");
    }

    @Test
    void versionPrints() {
        Cli.Result r = cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("netdisk ");
    }

    @Test
    void commandHelp() {
        Cli.Result r = cli.run("upload", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--overwrite", "LOCAL", "REMOTE");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Result r = cli.run("frobnicate");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(r.err()).startsWith("netdisk: ").contains("frobnicate").contains("netdisk --help");
    }

    @Test
    void missingArgumentIsAUsageError() {
        Cli.Result r = cli.run("upload");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("netdisk: upload: missing LOCAL");
        assertThat(cli.run("stat").code()).isEqualTo(2);
        assertThat(cli.run("chat", "bob").code()).isEqualTo(2);
        assertThat(cli.run("ls", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void aBadPortIsAUsageError() {
        assertThat(cli.run("--port", "abc", "ls").code()).isEqualTo(2);
        Cli.Result r = cli.env(Env.PORT, "99999").run("ls");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("port must be 1-65535");
    }

    @Test
    void anUnclosedQuoteInABatchIsAUsageError() {
        Cli.Result r = cli.run("-c", "ls \"open");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unclosed quote");
    }

    @Test
    void noServerIsAConnectionFailure() {
        Cli.Result r = cli.run("--host", "127.0.0.1", "--port", Integer.toString(closedPort), "ls");
        assertThat(r.code()).isEqualTo(ExitCode.CONNECTION.value());
        assertThat(r.err()).isEqualTo("netdisk: ls: cannot connect to 127.0.0.1:" + closedPort + ": Connection refused\n");
    }

    @Test
    void connectionOptionsWorkAfterTheCommandAndFromTheEnvironment() {
        Cli.Result after = cli.run("ls", "--host", "127.0.0.1", "--port", Integer.toString(closedPort));
        assertThat(after.err()).contains("127.0.0.1:" + closedPort);
        Cli.Result fromEnv = cli.server(closedPort).run("-c", "ls");
        assertThat(fromEnv.code()).isEqualTo(3);
        assertThat(fromEnv.err()).contains("127.0.0.1:" + closedPort);
    }

    @Test
    void pipedShellStopsAtTheFirstFailure() {
        Cli.Result r = cli.server(closedPort).runWithStdin("lpwd\nls\nlpwd\n");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEqualTo(tmp + "\n");
    }

    @Test
    void localCommandsNeedNoServer() throws Exception {
        java.nio.file.Files.createDirectories(tmp.resolve("sub dir"));
        java.nio.file.Files.writeString(tmp.resolve("sub dir/f.txt"), "hello");
        Cli.Result r = cli.run("-c", "lcd 'sub dir'; lpwd; lls");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains(tmp.resolve("sub dir").toRealPath().toString()).contains("5  ").contains("f.txt");
        Cli.Result missing = cli.run("-c", "lcd nowhere");
        assertThat(missing.code()).isEqualTo(ExitCode.LOCAL.value());
        assertThat(missing.err()).contains("netdisk: lcd: no such local file or directory");
    }

    @Test
    void anUnknownCommandInABatchStopsIt() {
        Cli.Result r = cli.run("-c", "lpwd; nope; lpwd");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command: nope");
        assertThat(r.out().lines().count()).isEqualTo(1);
    }

    @Test
    void withoutCredentialsLoginIsAnAuthFailure() {
        // No server needed: the password is looked for before connecting? No: login connects first.
        Cli.Result r = cli.run("login", "alice");
        assertThat(r.code()).isEqualTo(ExitCode.AUTH.value());
        assertThat(r.err()).contains("no password for alice");
    }
}
