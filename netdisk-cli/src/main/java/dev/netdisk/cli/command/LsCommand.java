package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ls [--json] [PATH]}: lists a remote directory. */
@Command(name = "ls", description = {"List a remote directory (default: the working directory), or describe one file.",
        "Columns: type (d or -), size in bytes, modification time (UTC), name."})
final class LsCommand extends Verb {

    @Option(names = "--json", description = "Print a JSON array of {name, type, size, mtime, md5}.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "Remote directory or file.")
    String path;

    @Override
    void run(Session s) throws Exception {
        List<Entry> entries = s.loggedIn().files().ls(path);
        if (json) {
            s.console().out().println(Format.jsonListing(entries));
            return;
        }
        for (Entry e : entries) {
            s.console().out().println(Format.listingLine(e, s.settings().times()));
        }
    }
}
