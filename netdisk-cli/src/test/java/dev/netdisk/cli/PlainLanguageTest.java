package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Errors and answers in the user's terms through the real command line: no protocol verbs, no picocli sentences. */
class PlainLanguageTest extends CliTestSupport {

    @BeforeEach
    void aliceLoggedIn() {
        loggedIn("alice");
    }

    private void says(int code, String err, String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.err()).as(r.toString()).startsWith(err);
    }

    @Test
    void mistypedCommandsAndOptionsGetSentencesAndTheNearestCommand() {
        says(2, "netdisk: unknown command: lss; did you mean 'ls'?\n", "lss");
        says(2, "netdisk: unknown command: uplaod; did you mean 'upload'?\n", "uplaod");
        says(2, "netdisk: unknown command: frobnicate\n", "frobnicate");
        says(2, "netdisk: unknown command: downl; did you mean 'download'? (type 'help'", "-c", "downl x");
        says(2, "netdisk: ls: unknown option --bogus\n", "ls", "--bogus");
        says(2, "netdisk: rm: missing PATH\n", "rm");
        says(2, "netdisk: download: --parallel takes a whole number, not 'x'\n", "download", "-r", "--parallel", "x", "a");
        says(2, "netdisk: trash: ID takes a whole number, not 'abc'\n", "trash", "restore", "abc");
        says(2, "netdisk: mv: one argument too many: c\n", "mv", "a", "b", "c");
    }

    @Test
    void serverAnswersNameTheCommandsToType() {
        assertThat(cli.run("makedir", "d").code()).isZero();
        says(5, "netdisk: rm: 550 is a directory: /d (rm -r moves a directory and everything in it to the trash)\n",
                "rm", "d");
        Cli.Result group = cli.run("group", "create", "team");
        assertThat(group.out()).doesNotContain("GROUP").contains("'group invite'");

        cli.env(dev.netdisk.cli.session.Env.PASSWORD, PASSWORD);
        assertThat(cli.run("register", "bob").code()).isZero();
        cli.env(dev.netdisk.cli.session.Env.PASSWORD, null);
        says(5, "netdisk: share: 550 bob is not your friend; ask them first with 'friend add bob'", "share", "d", "bob");
    }
}
