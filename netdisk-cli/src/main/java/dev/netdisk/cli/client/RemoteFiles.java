package dev.netdisk.cli.client;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file requests of one {@link NetdiskClient} ({@code client.files()}): listing, directories,
 * remove, move, copy, sizes, quota and trash. Each is one command on the control connection;
 * no bytes of file content travel (those are {@link NetdiskClient#upload} and
 * {@link NetdiskClient#download}). Relative paths are resolved by the server against the working
 * directory.
 *
 * <p>Errors and threading are those of {@link NetdiskClient}: a refusal is a
 * {@link ReplyException} with its reply code; thread-safe, one command at a time.
 */
public final class RemoteFiles {

    private final NetdiskClient client;

    RemoteFiles(NetdiskClient client) {
        this.client = client;
    }

    /**
     * Lists a directory, or describes one file ({@code LS}), sorted by name.
     *
     * @param path the directory; {@code null} for the working directory
     * @throws ReplyException 550 if there is no such file or directory
     */
    public List<Entry> ls(String path) throws IOException {
        Reply reply = client.request(path == null ? "LS" : "LS " + Arguments.path(path)).expect(212);
        List<Entry> entries = new ArrayList<>(reply.body().size());
        for (String line : reply.body()) {
            entries.add(Replies.entry(line, reply));
        }
        return entries;
    }

    /**
     * Describes one file or directory ({@code STAT}).
     *
     * @throws ReplyException 550 if there is no such file or directory
     */
    public Entry stat(String path) throws IOException {
        Reply reply = client.request("STAT " + Arguments.path(path)).expect(213);
        return Replies.entry(reply.text(), reply);
    }

    /**
     * Creates a directory ({@code MAKEDIR}).
     *
     * @param parents also create missing parents, and accept an existing directory ({@code -p})
     * @return the absolute path created
     * @throws ReplyException 521 if it exists, 550 if the parent is missing, 553 for a bad name
     */
    public String makedir(String path, boolean parents) throws IOException {
        Reply reply = client.request("MAKEDIR " + (parents ? "-p " : "") + Arguments.path(path)).expect(257);
        return Replies.quotedPath(reply);
    }

    /**
     * Moves a file, or with {@code recursive} a directory and everything in it, to the trash ({@code RM}).
     *
     * @return the trash id, for {@link #trashRestore}
     * @throws ReplyException 550 if missing, or a directory without {@code recursive}; 553 for the root
     */
    public long rm(String path, boolean recursive) throws IOException {
        return client.request("RM " + (recursive ? "-r " : "") + Arguments.path(path)).expect(250).longParam("trash");
    }

    /** Moves an empty directory to the trash ({@code RMDIR}); returns the trash id. 550 if not empty. */
    public long rmdir(String path) throws IOException {
        return client.request("RMDIR " + Arguments.path(path)).expect(250).longParam("trash");
    }

    /**
     * Moves or renames to exactly {@code target}, the new full path ({@code MV}).
     *
     * @throws ReplyException 521 if something is at {@code target}, 550 if {@code source} is missing
     */
    public void mv(String source, String target) throws IOException {
        client.request("MV " + Arguments.path(source) + " " + Arguments.path(target)).expect(250);
    }

    /**
     * Copies a file or a whole directory on the server to exactly {@code target} ({@code COPY});
     * no bytes travel.
     *
     * @return what was copied; its path is {@code target} as given
     * @throws ReplyException 552 if it does not fit in the quota, 521 if {@code target} exists
     */
    public Usage copy(String source, String target) throws IOException {
        Reply r = client.request("COPY " + Arguments.path(source) + " " + Arguments.path(target)).expect(250);
        return new Usage(target, r.longParam("size"), r.longParam("files"), r.longParam("dirs"));
    }

    /** The total size of a tree ({@code DU}); {@code null} for the working directory. */
    public Usage du(String path) throws IOException {
        Reply r = client.request(path == null ? "DU" : "DU " + Arguments.path(path)).expect(213);
        return new Usage(r.textAfterParams(), r.longParam("size"), r.longParam("files"), r.longParam("dirs"));
    }

    /** Your storage quota ({@code QUOTA}). */
    public Quota quota() throws IOException {
        Reply r = client.request("QUOTA").expect(211);
        java.util.function.ToLongFunction<String> optional = key -> Long.parseLong(r.params().getOrDefault(key, "0"));
        return new Quota(r.longParam("used"), r.longParam("trash"), r.longParam("limit"), r.longParam("free"),
                optional.applyAsLong("uploads"), optional.applyAsLong("chat"), optional.applyAsLong("chat-limit"),
                optional.applyAsLong("entries"), optional.applyAsLong("max-entries"));
    }

    /** The items in your trash, oldest first ({@code TRASH LIST}). */
    public List<TrashItem> trash() throws IOException {
        return Replies.lines(client.request("TRASH LIST").expect(211), TrashItem::parse);
    }

    /**
     * Puts a trash item back where it was, or at {@code path} ({@code TRASH RESTORE}).
     *
     * @param path where to restore it, or {@code null} for its old place
     * @return the path it was restored to
     * @throws ReplyException 521 if the place is taken, 550 for an unknown id
     */
    public String trashRestore(long id, String path) throws IOException {
        Reply r = client.request("TRASH RESTORE " + id + (path == null ? "" : " " + Arguments.path(path))).expect(250);
        return Replies.quotedAfterWord(r);
    }

    /** Removes everything in your trash for good ({@code TRASH EMPTY}); returns the bytes freed. */
    public long trashEmpty() throws IOException {
        return client.request("TRASH EMPTY").expect(250).longParam("bytes");
    }
}
