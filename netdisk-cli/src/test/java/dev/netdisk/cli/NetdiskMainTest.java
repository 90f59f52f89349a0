package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.session.Env;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which subcommands a one-shot command line is built with, before any parsing. */
class NetdiskMainTest {

    private static Set<String> built(String... args) {
        Env env = new Env(Map.of(), new ByteArrayInputStream(new byte[0]), new PrintStream(PrintStream.nullOutputStream()),
                false, false, 80, Path.of("."), prompt -> null);
        // By name: getSubcommands() has a key for each alias too.
        return NetdiskMain.commandLine(new NetdiskCommand(env), args).getSubcommands().values().stream()
                .map(picocli.CommandLine::getCommandName).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Test
    void aCommandNamedAfterTheRootsOptionsIsTheOnlyOneBuilt() {
        assertThat(built("upload", "a.txt")).containsExactly("upload");
        assertThat(built("--port", "2199", "--host", "h", "-q", "download", "/a")).containsExactly("download");
        assertThat(built("--port=2199", "-u", "bob", "ls")).containsExactly("ls");
        assertThat(built("PWD")).containsExactly("pwd");
    }

    @Test
    void helpAnUnknownNameOrAnOptionTheScanCannotSkipBuildEverything() {
        int all = NetdiskCommand.SUBCOMMANDS.size() + 1;  // and generate-completion
        assertThat(built()).hasSize(all);
        assertThat(built("--help")).hasSize(all);
        assertThat(built("help", "upload")).hasSize(all);
        assertThat(built("uplod")).hasSize(all);
        assertThat(built("-c", "ls")).hasSize(all);
        assertThat(built("-qu", "bob", "ls")).hasSize(all);
        assertThat(built("--no-such-option", "ls")).hasSize(all);
        assertThat(built("generate-completion")).hasSize(all);
    }
}
