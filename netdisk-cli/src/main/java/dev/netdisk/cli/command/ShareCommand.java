package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code share PATH [with] USER}: shares read-only with a friend, who sees it under
 * {@code /shared/OWNER/}. Also the spellings of the other sharing commands:
 * {@code share list} (as {@code shares}), {@code share link [--expires D] PATH} (as {@code link})
 * and {@code share links} (as {@code links}). A file called {@code link} or {@code list} is
 * written {@code ./link}.
 */
@Command(name = "share", description = {"Share a remote file or directory read-only with a friend.",
        "They see it as /shared/YOU/NAME.",
        "  share PATH [with] USER          share with a friend",
        "  share list                      the shares you gave and received (also: shares)",
        "  share link [--expires D] PATH   a code any logged-in user can 'fetch' (also: link)",
        "  share links                     your links (also: links)",
        "'unshare PATH [USER]' ends a share, 'unshare link CODE' revokes a link."})
final class ShareCommand extends Verb {

    @Option(names = "--expires", paramLabel = "DURATION",
            description = "With 'share link': how long it works: 30m, 12h, 7d, 2w (default: until revoked).")
    String expires;

    @Parameters(arity = "1..3", paramLabel = "ARGS", description = "PATH [with] USER, or list, link PATH, links.")
    List<String> args;

    @Override
    void run(Session s) throws Exception {
        switch (args.get(0)) {
            case "list" -> {
                expect(1);
                new SharesCommand().run(s);
            }
            case "links" -> {
                expect(1);
                new LinksCommand().run(s);
            }
            case "link" -> {
                expect(2);
                LinkCommand link = new LinkCommand();
                link.path = args.get(1);
                link.expires = expires;
                link.run(s);
            }
            default -> {
                if (args.size() == 3 && !args.get(1).equalsIgnoreCase("with")) {
                    throw usage("share PATH [with] USER");
                }
                if (args.size() < 2) {
                    throw usage("share PATH [with] USER");
                }
                s.console().out().println(PlainLanguage.serverText(s.loggedIn().sharing().share(args.get(0), args.get(args.size() - 1))));
            }
        }
    }

    private void expect(int count) {
        if (args.size() != count) {
            throw usage("share list | share links | share link [--expires D] PATH | share PATH [with] USER");
        }
    }

    private CommandLine.ParameterException usage(String syntax) {
        return new CommandLine.ParameterException(spec.commandLine(), "usage: " + syntax);
    }
}
