package dev.netdisk.cli.client;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The sharing requests of one {@link NetdiskClient} ({@code client.sharing()}): read-only shares
 * with friends (seen under their {@code /shared}), links that any logged-in user can
 * {@link #fetch}, and fetching one.
 *
 * <p>Errors and threading are those of {@link NetdiskClient}: a refusal is a
 * {@link ReplyException} with its reply code; thread-safe; a fetch holds the control connection
 * only while asking for its ticket.
 */
public final class Sharing {

    private final NetdiskClient client;
    private final Transfers transfers;

    Sharing(NetdiskClient client, Transfers transfers) {
        this.client = client;
        this.transfers = transfers;
    }

    /**
     * Shares a file or directory with a friend, read-only ({@code SHARE path WITH user}).
     *
     * @return the server's text, naming where the friend sees it
     */
    public String share(String path, String user) throws IOException {
        // A file called LINK, LINKS or LIST would read as a sub-command: write it as a relative path.
        String p = path.equalsIgnoreCase("link") || path.equalsIgnoreCase("links") || path.equalsIgnoreCase("list")
                ? "./" + path : path;
        return client.request("SHARE " + Arguments.path(p) + " WITH " + Arguments.quote(user)).expect(250).text();
    }

    /** The shares you gave and received ({@code SHARE LIST}). */
    public List<Share> shares() throws IOException {
        return Replies.lines(client.request("SHARE LIST").expect(211), Share::parse);
    }

    /** Ends the share of {@code path} with {@code user}, or with everyone if {@code null} ({@code UNSHARE}). */
    public String unshare(String path, String user) throws IOException {
        String line = "UNSHARE " + Arguments.path(path.equalsIgnoreCase("link") ? "./" + path : path)
                + (user == null ? "" : " " + Arguments.quote(user));
        return client.request(line).expect(250).text();
    }

    /**
     * Creates a link to one of your files that any logged-in user can {@link #fetch} ({@code SHARE LINK}).
     *
     * @param expires how long it works, such as {@code "7d"} or {@code "30m"}; {@code null} for until revoked
     */
    public Share.Link link(String path, String expires) throws IOException {
        Reply r = client.request("SHARE LINK " + Arguments.path(path)
                + (expires == null ? "" : " --expires " + Arguments.quote(expires))).expect(250);
        String exp = r.params().get("expires");
        try {
            return new Share.Link(r.param("code"), Share.Link.expires(exp), client.absolute(path));
        } catch (DateTimeParseException e) {
            throw new NetdiskConnectionException("protocol error: bad expiry in " + r);
        }
    }

    /** Your links, oldest first ({@code SHARE LINKS}). */
    public List<Share.Link> links() throws IOException {
        return Replies.lines(client.request("SHARE LINKS").expect(211), Share.Link::parse);
    }

    /** Revokes a link ({@code UNSHARE LINK}); 550 if unknown or not yours. */
    public void unlink(String code) throws IOException {
        client.request("UNSHARE LINK " + Arguments.quote(code)).expect(250);
    }

    /**
     * Downloads the file behind a link ({@code FETCH}), with the same {@code .part}, resume and MD5
     * rules as {@link NetdiskClient#download}.
     *
     * @param local the target file, or an existing directory to put it in under the file's own name;
     *              {@code null} means that name in the current directory
     * @throws ReplyException 550 for an unknown, revoked or expired link
     */
    public TransferResult fetch(String code, Path local, TransferOptions options, TransferListener listener)
            throws IOException {
        String fetch = "FETCH " + Arguments.quote(code) + " ";
        Reply first = null;
        Path target = local;
        if (local == null || Files.isDirectory(local)) {
            first = client.request(fetch + 0).expect(350);
            String name = first.textAfterParams();
            name = name.startsWith("file ") ? name.substring(5) : name;
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new NetdiskConnectionException("protocol error: no usable file name in " + first);
            }
            target = (local == null ? Path.of(name) : local.resolve(name)).toAbsolutePath();
        }
        Reply atZero = first;
        return transfers.receive("link " + code, target.toAbsolutePath(),
                offset -> offset == 0 && atZero != null ? atZero : client.request(fetch + offset), options, listener);
    }
}
