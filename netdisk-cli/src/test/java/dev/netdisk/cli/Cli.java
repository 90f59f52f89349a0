package dev.netdisk.cli;

import dev.netdisk.cli.session.Env;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Test helper: runs {@code netdisk} in-process through picocli's {@code execute} with captured
 * out and err, an environment of our own (no terminal, a temp config dir) and optional stdin.
 */
final class Cli {

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private final Map<String, String> vars = new HashMap<>();
    private final Path workDir;
    private java.io.OutputStream stdout;

    Cli(Path configDir, Path workDir) {
        this.workDir = workDir;
        vars.put(Env.CONFIG_DIR, configDir.toString());
    }

    Cli server(int port) {
        vars.put(Env.HOST, "127.0.0.1");
        vars.put(Env.PORT, Integer.toString(port));
        knowServer(Path.of(vars.get(Env.CONFIG_DIR)), port);
        return this;
    }

    /**
     * Saves the test server's fingerprint in known_hosts, as a user who accepted it earlier has it:
     * the tests of other things then see no first-use notice on stderr (TlsClientTest covers that).
     */
    static void knowServer(Path configDir, int port) {
        try (dev.netdisk.protocol.ProtocolClient c = dev.netdisk.protocol.ProtocolClient.connect(port)) {
            c.startTls(dev.netdisk.protocol.PinnedTrust.trustAll());
            java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate)
                    ((javax.net.ssl.SSLSocket) c.socket()).getSession().getPeerCertificates()[0];
            java.nio.file.Files.createDirectories(configDir);
            java.nio.file.Files.writeString(configDir.resolve("known_hosts"), "127.0.0.1:" + port + " "
                    + dev.netdisk.protocol.Fingerprint.of(leaf) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // no server there (a test of a refused connection): nothing to know
        }
    }

    Cli env(String name, String value) {
        if (value == null) {
            vars.remove(name);
        } else {
            vars.put(name, value);
        }
        return this;
    }

    /** Where the next runs' standard output bytes go; {@code null} (the default) appends them to {@link Result#out()}. */
    Cli stdout(java.io.OutputStream stream) {
        this.stdout = stream;
        return this;
    }

    Env environment(InputStream stdin) {
        return environment(stdin, stdout == null ? PrintStream.nullOutputStream() : stdout);
    }

    private Env environment(InputStream stdin, java.io.OutputStream bytesOut) {
        return new Env(Map.copyOf(vars), stdin, new PrintStream(PrintStream.nullOutputStream()), false, false, 80,
                workDir, prompt -> null, bytesOut);
    }

    Result run(String... args) {
        return runWithStdin("", args);
    }

    Result runWithStdin(String stdin, String... args) {
        return runWithStdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    /** Runs with {@code stdin} as standard input; standard output bytes as {@link #stdout} says. */
    Result runWithStdin(InputStream stdin, String... args) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        NetdiskCommand root = new NetdiskCommand(environment(stdin, stdout == null ? bytes : stdout));
        CommandLine cl = NetdiskMain.commandLine(root, args);  // as NetdiskMain.run builds it
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code;
        try {
            code = cl.execute(args);
        } finally {
            root.close();
        }
        return new Result(code, out.toString() + bytes.toString(StandardCharsets.UTF_8), err.toString());
    }
}
