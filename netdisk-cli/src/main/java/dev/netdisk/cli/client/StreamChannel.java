package dev.netdisk.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A blocking channel over a socket's streams: what {@link DataConnection#channel()} is over TLS,
 * where the socket has no channel of its own. Bytes go through a heap array when a buffer is direct.
 */
final class StreamChannel implements ByteChannel {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] readScratch;
    private byte[] writeScratch;

    StreamChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.hasArray()) {
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        if (readScratch == null) {
            readScratch = new byte[64 * 1024];
        }
        byte[] buf = readScratch;
        int n = in.read(buf, 0, Math.min(buf.length, dst.remaining()));
        if (n > 0) {
            dst.put(buf, 0, n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
        } else {
            if (writeScratch == null) {
                writeScratch = new byte[64 * 1024];
            }
            byte[] buf = writeScratch;
            int left = n;
            while (left > 0) {
                int chunk = Math.min(buf.length, left);
                src.get(buf, 0, chunk);
                out.write(buf, 0, chunk);
                left -= chunk;
            }
        }
        out.flush();
        return n;
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
