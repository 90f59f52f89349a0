package dev.netdisk.server.transfer;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.PartialUploads.Partial;
import dev.netdisk.server.store.User;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * What a {@link Ticket} grants, as the bytes of its {@code data_tickets.grant_bytes} column: a
 * version byte, a kind byte, then the ticket's fields with {@link DataOutputStream} (big-endian
 * longs, modified-UTF-8 strings; null strings and longs behind a presence byte). The server that
 * takes the ticket rebuilds it exactly as the issuing server had it, with no further query.
 *
 * <p>Stateless, thread-safe.
 */
final class TicketGrants {

    private static final int VERSION = 1;
    private static final int UPLOAD = 'U';
    private static final int DOWNLOAD = 'D';
    private static final int BATCH = 'B';

    private TicketGrants() {
    }

    static byte[] encode(Ticket ticket) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            if (ticket instanceof Ticket.Upload u) {
                out.writeByte(UPLOAD);
                user(out, u.user());
                out.writeUTF(u.path().toString());
                out.writeLong(u.size());
                string(out, u.md5());
                out.writeBoolean(u.mtimeMillis() != null);
                out.writeLong(u.mtimeMillis() == null ? 0 : u.mtimeMillis());
                out.writeLong(u.offset());
                out.writeBoolean(u.overwrite());
                Partial p = u.partial();
                out.writeLong(p.id());
                out.writeLong(p.ownerId());
                out.writeUTF(p.path());
                out.writeLong(p.size());
                string(out, p.md5());
                out.writeUTF(p.blobId());
            } else if (ticket instanceof Ticket.Download d) {
                out.writeByte(DOWNLOAD);
                user(out, d.user());
                out.writeUTF(d.path().toString());
                Node n = d.node();
                out.writeLong(n.id());
                out.writeLong(n.parentId());
                out.writeUTF(n.name());
                out.writeBoolean(n.directory());
                out.writeLong(n.size());
                string(out, n.md5());
                string(out, n.blobId());
                out.writeLong(n.mtimeMillis());
                out.writeLong(d.offset());
            } else {
                out.writeByte(BATCH);
                user(out, ticket.user());
            }
            out.writeLong(ticket.expiresAt().toEpochMilli());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: memory only
        }
        return bytes.toByteArray();
    }

    /**
     * The ticket that {@link #encode} made {@code grant} of.
     *
     * @throws IllegalArgumentException when the bytes are of another version or malformed
     */
    static Ticket decode(byte[] grant) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(grant))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("ticket grant of unknown version " + version);
            }
            int kind = in.readUnsignedByte();
            Ticket ticket = switch (kind) {
                case UPLOAD -> {
                    User user = user(in);
                    RemotePath path = path(in.readUTF());
                    long size = in.readLong();
                    String md5 = string(in);
                    boolean hasMtime = in.readBoolean();
                    long mtime = in.readLong();
                    long offset = in.readLong();
                    boolean overwrite = in.readBoolean();
                    Partial partial = new Partial(in.readLong(), in.readLong(), in.readUTF(), in.readLong(), string(in),
                            in.readUTF());
                    yield new Ticket.Upload(user, path, size, md5, hasMtime ? mtime : null, offset, overwrite, partial,
                            Instant.ofEpochMilli(in.readLong()));
                }
                case DOWNLOAD -> {
                    User user = user(in);
                    RemotePath path = path(in.readUTF());
                    Node node = new Node(in.readLong(), in.readLong(), in.readUTF(), in.readBoolean(), in.readLong(),
                            string(in), string(in), in.readLong());
                    long offset = in.readLong();
                    yield new Ticket.Download(user, path, node, offset, Instant.ofEpochMilli(in.readLong()));
                }
                case BATCH -> new Ticket.Batch(user(in), Instant.ofEpochMilli(in.readLong()));
                default -> throw new IllegalArgumentException("ticket grant of unknown kind " + kind);
            };
            if (in.available() != 0) {
                throw new IllegalArgumentException("ticket grant with " + in.available() + " trailing bytes");
            }
            return ticket;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed ticket grant: " + e, e);
        }
    }

    private static void user(DataOutputStream out, User user) throws IOException {
        out.writeLong(user.id());
        out.writeUTF(user.name());
    }

    private static User user(DataInputStream in) throws IOException {
        return new User(in.readLong(), in.readUTF());
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        out.writeUTF(s == null ? "" : s);
    }

    private static String string(DataInputStream in) throws IOException {
        boolean present = in.readBoolean();
        String s = in.readUTF();
        return present ? s : null;
    }

    /** A path as {@link RemotePath#toString} wrote it (already resolved and checked when issued). */
    private static RemotePath path(String text) {
        RemotePath path = RemotePath.ROOT;
        for (String name : text.split("/")) {
            if (!name.isEmpty()) {
                path = path.child(name);
            }
        }
        return path;
    }
}
