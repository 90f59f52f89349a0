package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lls [PATH]}: lists a local directory in the same columns as {@code ls}. */
@Command(name = "lls", description = "List a local directory (default: the local working directory).")
final class LlsCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "Local directory or file.")
    String path;

    @Override
    void run(Session s) throws Exception {
        Path dir = path == null ? s.console().localDir() : s.console().local(path);
        List<Path> children = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            }
        } else {
            children.add(dir);
        }
        children.sort(null);
        for (Path p : children) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            s.console().out().println(Format.localListingLine(a.isDirectory(), a.size(), a.lastModifiedTime().toInstant(),
                    p.getFileName().toString(), s.settings().times()));
        }
    }
}
