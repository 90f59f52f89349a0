package dev.netdisk.cli.command;

import dev.netdisk.cli.client.TransferResult;
import dev.netdisk.cli.session.ProgressListener;
import dev.netdisk.cli.session.Session;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fetch [--overwrite] CODE [LOCAL]}: downloads the file behind a link. */
@Command(name = "fetch", description = {"Download the file behind a link, with download's .part, resume and MD5 rules.",
        "LOCAL defaults to the file's own name in the local working directory."})
final class FetchCommand extends Verb {

    @Option(names = "--overwrite", description = "Replace an existing local file.")
    boolean overwrite;

    @Parameters(index = "0", paramLabel = "CODE", description = "The link's code.")
    String code;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "Local file or directory.")
    String local;

    @Override
    void run(Session s) throws Exception {
        Path target = local == null ? s.console().localDir() : s.console().local(local);
        TransferResult r;
        try (ProgressListener progress = s.console().progress("fetch", code)) {
            r = s.loggedIn().sharing().fetch(code, target, s.console().transferOptions(overwrite), progress);
        }
        if (!s.settings().quiet()) {
            s.console().out().println("fetched " + code + " to " + r.localPath() + " (" + r.size() + " bytes"
                    + (r.offset() > 0 ? ", resumed at " + r.offset() : "") + ", md5 " + r.md5() + ")");
        }
    }
}
