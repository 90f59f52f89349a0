package dev.netdisk.cli.command;

import picocli.CommandLine.Option;

/** A command with the usual {@code -h}/{@code --help}; see {@link VerbBody}. */
abstract class Verb extends VerbBody {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show how to use this command.")
    boolean help;
}
