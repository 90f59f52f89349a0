package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell driven through piped standard input, as {@code netdisk < commands.txt} runs it. */
class ShellTest extends CliTestSupport {

    @BeforeEach
    void passwordFromTheEnvironment() {
        cli.env(Env.PASSWORD, PASSWORD);
    }

    @Test
    void aWholeSession() throws Exception {
        byte[] content = new byte[1_500_000];
        new Random(42).nextBytes(content);
        Files.createDirectories(work.resolve("src"));
        Files.write(work.resolve("src/report 2026.bin"), content);
        Files.createDirectories(work.resolve("back"));

        String session = """
                register alice
                login alice
                makedir "holiday photos"
                cd holiday\\ photos
                pwd
                lcd src
                upload "report 2026.bin"
                ls
                stat --json "report 2026.bin"
                lcd ../back
                lpwd
                download "/holiday photos/report 2026.bin"
                lls
                help
                help upload
                exit
                ls /this/is/never/run
                """;
        Cli.Result r = cli.runWithStdin(session);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        assertThat(r.out())
                .contains("registered alice")
                .contains("logged in as alice")
                .contains("/holiday photos\n")
                .contains("uploaded /holiday photos/report 2026.bin (1500000 bytes")
                .contains("report 2026.bin\n")
                .contains("\"type\" : \"file\"")
                .contains(work.resolve("back").toRealPath() + "\n")
                .contains("downloaded /holiday photos/report 2026.bin")
                .contains("Commands (type 'help COMMAND' for details):")
                .contains("lcd")
                .contains("--overwrite")
                .doesNotContain("netdisk>")    // no prompt decorations
                .doesNotContain("alice@");
        assertThat(Files.readAllBytes(work.resolve("back/report 2026.bin"))).isEqualTo(content);
        assertThat(work.resolve("back/report 2026.bin.part")).doesNotExist();
    }

    @Test
    void theFirstFailureEndsThePipedShellWithItsExitCode() throws Exception {
        Cli.Result r = cli.runWithStdin("register alice\nlogin alice\ncd nowhere\nmakedir never\n");
        assertThat(r.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(r.err()).startsWith("netdisk: cd: 550 no such directory: /nowhere").hasLineCount(1);
        assertThat(cli.run("ls", "/").out()).doesNotContain("never");
    }

    @Test
    void unknownCommandsAndBadQuotesAreUsageErrors() {
        assertThat(cli.runWithStdin("frobnicate\n").code()).isEqualTo(ExitCode.USAGE.value());
        Cli.Result quote = cli.runWithStdin("lpwd\nls \"open\nlpwd\n");
        assertThat(quote.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(quote.out().lines()).hasSize(1);
    }

    @Test
    void optionValuesDoNotLeakFromOneLineToTheNext() throws Exception {
        Files.write(work.resolve("a.bin"), new byte[] {1, 2, 3});
        Cli.Result r = cli.runWithStdin("""
                register alice
                login alice
                upload a.bin
                upload --overwrite a.bin
                upload a.bin
                """);
        // The third upload must not inherit --overwrite from the second one.
        assertThat(r.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(r.err()).startsWith("netdisk: upload: 521 already exists: /a.bin").hasLineCount(1);
    }

    @Test
    void theShellSubcommandWorksToo() {
        Cli.Result r = cli.runWithStdin("lpwd\n", "shell");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(work + "\n");
    }
}
