package dev.netdisk.cli.command;

import picocli.CommandLine.Option;

/** The options {@code upload} and {@code download} share for mirroring a tree ({@code -r}, {@code --parallel}). */
final class MirrorOptions {

    @Option(names = {"-r", "-R", "--recursive"}, description = "Mirror a whole directory tree: identical files "
            + "(same size and modification time, or same size and MD5) are skipped, differing ones replaced, "
            + "each file resumes.")
    boolean recursive;

    @Option(names = {"-c", "--checksum"}, description = "With -r: compare files of the same size by MD5 even when "
            + "their modification times match (slower: reads every such local file).")
    boolean checksum;

    @Option(names = {"-L", "--follow-links"}, description = "With -r (upload): follow symbolic links; without it "
            + "each link is skipped and named on stderr.")
    boolean followLinks;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "With -r: how many files move at once, 1 to 16 (default: ${DEFAULT-VALUE}).")
    int parallel;
}
