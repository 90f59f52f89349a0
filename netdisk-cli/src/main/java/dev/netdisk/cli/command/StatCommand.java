package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.session.Session;
import dev.netdisk.protocol.RemotePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stat [--json] PATH}: describes one remote file or directory. */
@Command(name = "stat", description = "Describe a remote file or directory: type, size, modification time, MD5.")
final class StatCommand extends Verb {

    @Option(names = "--json", description = "Print a JSON object {path, name, type, size, mtime, md5}.")
    boolean json;

    @Parameters(paramLabel = "PATH", description = "Remote file or directory.")
    String path;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        Entry e = c.files().stat(path);
        String absolute = path.startsWith("/") ? path : RemotePath.join(c.cwd(), path);
        s.console().out().println(json ? Format.jsonStat(absolute, e) : Format.statText(absolute, e, s.settings().times()));
    }
}
