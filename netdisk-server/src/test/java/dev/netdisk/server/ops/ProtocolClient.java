package dev.netdisk.server.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal blocking client of the line protocol, enough to log in, upload and download in tests. */
final class ProtocolClient implements AutoCloseable {

    private static final Pattern FINAL = Pattern.compile("^(\\d{3}) .*");

    private final int port;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    ProtocolClient(int port) throws IOException {
        this.port = port;
        this.socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        reply(); // 220 greeting
    }

    /** Sends a command line and returns its final reply line. */
    String command(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    String reply() throws IOException {
        return reply(in);
    }

    private static String reply(InputStream in) throws IOException {
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (FINAL.matcher(line).matches()) {
                return line;
            }
        }
    }

    /** Uploads {@code content} to {@code path}; returns the final data-connection reply. */
    String upload(String path, byte[] content) throws IOException {
        String r = command("UPLOAD " + path + " " + content.length + " " + md5(content));
        String ticket = value(r, "ticket");
        try (Socket data = new Socket("127.0.0.1", port)) {
            data.setSoTimeout(30_000);
            InputStream din = data.getInputStream();
            OutputStream dout = data.getOutputStream();
            reply(din);
            dout.write(("DATA " + ticket + "\n").getBytes(StandardCharsets.UTF_8));
            dout.flush();
            String prelim = reply(din);
            if (!prelim.startsWith("150")) {
                return prelim;
            }
            dout.write(content);
            dout.flush();
            return reply(din);
        }
    }

    /** Downloads {@code path} whole. */
    byte[] download(String path) throws IOException {
        String r = command("DOWNLOAD " + path);
        if (!r.startsWith("350")) {
            throw new IOException(r);
        }
        String ticket = value(r, "ticket");
        long size = Long.parseLong(value(r, "size"));
        try (Socket data = new Socket("127.0.0.1", port)) {
            data.setSoTimeout(30_000);
            InputStream din = data.getInputStream();
            OutputStream dout = data.getOutputStream();
            reply(din);
            dout.write(("DATA " + ticket + "\n").getBytes(StandardCharsets.UTF_8));
            dout.flush();
            String prelim = reply(din);
            if (!prelim.startsWith("150")) {
                throw new IOException(prelim);
            }
            byte[] bytes = din.readNBytes((int) size);
            String done = reply(din);
            if (!done.startsWith("226")) {
                throw new IOException(done);
            }
            return bytes;
        }
    }

    static String value(String reply, String key) {
        Matcher m = Pattern.compile("\\b" + key + "=(\\S+)").matcher(reply);
        if (!m.find()) {
            throw new AssertionError("no " + key + "= in: " + reply);
        }
        return m.group(1);
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
