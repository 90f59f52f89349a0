package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.RemoteGlob;
import dev.netdisk.cli.session.Session;
import dev.netdisk.protocol.RemotePath;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ls [-lhRtSr] [--json] [PATH...]}: lists remote directories, with wildcards expanded. */
@Command(name = "ls", description = {"List remote directories (default: the working directory), or describe files.",
        "Columns: type (d or -), size in bytes, modification time, name.",
        "PATH may hold wildcards (* ? [...]), expanded from listings; a backslash or quotes in the shell keep them literal."})
final class LsCommand extends VerbBody {

    @Option(names = "--help", usageHelp = true, description = "Show how to use this command.")
    boolean help;

    @Option(names = "--json", description = "Print a JSON array of {name, type, size, mtime, md5}.")
    boolean json;

    @Option(names = "-l", description = "Long format: type, size, time and name (the default; accepted as in ls and sftp).")
    boolean longFormat;

    @Option(names = {"-h", "--human-readable"}, description = "Sizes in KiB, MiB, GiB (with -l: ls -lh).")
    boolean human;

    @Option(names = {"-R", "--recursive"}, description = "Also list every directory below, each under a 'PATH:' heading.")
    boolean recursive;

    @Option(names = "-t", description = "Sort by modification time, newest first.")
    boolean byTime;

    @Option(names = "-S", description = "Sort by size, largest first.")
    boolean bySize;

    @Option(names = {"-r", "--reverse"}, description = "Reverse the order.")
    boolean reverse;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Remote directories or files, or patterns.")
    List<String> paths;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        if (paths == null || paths.isEmpty()) {
            show(s, c, null, c.files().ls(null), false);
            return;
        }
        List<String> expanded = new ArrayList<>();
        for (String p : paths) {
            expanded.addAll(RemoteGlob.expand(c, p));
        }
        if (expanded.size() == 1) {
            show(s, c, expanded.get(0), c.files().ls(expanded.get(0)), false);
            return;
        }
        // Several: the files first as one listing, then each directory under its heading, as ls does.
        List<Entry> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String p : expanded) {
            Entry e = c.files().stat(p);
            if (e.isDirectory()) {
                dirs.add(p);
            } else {
                files.add(new Entry(e.type(), e.size(), e.mtime(), e.md5(), p));
            }
        }
        if (json) {
            List<Entry> all = new ArrayList<>(files);
            for (String d : dirs) {
                all.addAll(c.files().ls(d));
            }
            s.console().out().println(Format.jsonListing(sorted(all)));
            return;
        }
        print(s, files);
        boolean first = files.isEmpty();
        for (String d : dirs) {
            show(s, c, d, c.files().ls(d), !first || dirs.size() > 1);
            first = false;
        }
    }

    /** Prints one directory's listing (with a heading when asked), then with -R the directories below it. */
    private void show(Session s, NetdiskClient c, String path, List<Entry> entries, boolean heading) throws Exception {
        PrintWriter out = s.console().out();
        if (json && !recursive) {
            out.println(Format.jsonListing(sorted(entries)));
            return;
        }
        if (json) {
            out.println(Format.jsonListing(sorted(tree(c, path, entries))));
            return;
        }
        if (heading || recursive) {
            out.println((path == null ? c.cwd() : path) + ":");
        }
        print(s, entries);
        if (recursive) {
            for (Entry e : sorted(entries)) {
                if (e.isDirectory()) {
                    out.println();
                    String sub = RemotePath.join(path == null ? c.cwd() : path, bare(e.name()));
                    show(s, c, sub, c.files().ls(sub), true);
                }
            }
        } else if (heading) {
            out.println();
        }
    }

    /** For {@code --json -R}: every entry below {@code path}, named by its path relative to it. */
    private List<Entry> tree(NetdiskClient c, String path, List<Entry> entries) throws Exception {
        List<Entry> all = new ArrayList<>();
        for (Entry e : entries) {
            all.add(e);
            if (e.isDirectory()) {
                String sub = RemotePath.join(path == null ? c.cwd() : path, bare(e.name()));
                for (Entry below : tree(c, sub, c.files().ls(sub))) {
                    all.add(new Entry(below.type(), below.size(), below.mtime(), below.md5(),
                            bare(e.name()) + "/" + below.name()));
                }
            }
        }
        return all;
    }

    private void print(Session s, List<Entry> entries) {
        for (Entry e : sorted(entries)) {
            s.console().out().println(human ? Format.humanListingLine(e, s.settings().times())
                    : Format.listingLine(e, s.settings().times()));
        }
    }

    private List<Entry> sorted(List<Entry> entries) {
        Comparator<Entry> order = Comparator.comparing(Entry::name);
        if (bySize) {
            order = Comparator.comparingLong(Entry::size).reversed().thenComparing(order);
        } else if (byTime) {
            order = Comparator.comparing(Entry::mtime).reversed().thenComparing(order);
        }
        if (reverse) {
            order = order.reversed();
        }
        return entries.stream().sorted(order).toList();
    }

    private static String bare(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
