package dev.netdisk.server.ops;

import dev.netdisk.server.store.PrivateFiles;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --daemon}: starts the same program again as a detached child and waits until it is ready.
 *
 * <p>The child is this JVM's {@code java} with this JVM's options and class path, the same
 * arguments with {@code --foreground} added, its own session ({@code setsid}, when the system has
 * it, so closing the terminal does not hang it up), stdin from {@code /dev/null}, and stdout and
 * stderr appended to the log file. The child writes the pid file only once it listens; so the
 * launcher returns 0 exactly when the pid file appears, and when the child exits first it prints
 * what the child wrote (the reason) and returns non-zero.
 */
public final class Daemon {

    /** How long the launcher waits for the child to listen. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private Daemon() {
    }

    /**
     * Launches the child and waits.
     *
     * @param mainClass the class whose {@code main} the child runs (the caller's: ops does not know it)
     * @param args      the arguments of this invocation, without {@code --daemon}
     * @return the exit code for the launcher: 0 once the child listens
     */
    public static int launch(Class<?> mainClass, List<String> args, Path pidFile, Path logFile, PrintWriter out,
                             PrintWriter err) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = PidFile.liveServer(pidFile);
        if (running.isPresent()) {
            err.println("netdisk-server: already running (pid " + running.get().pid() + ", pid file " + pidFile + ")");
            return ExitCode.FAILURE.code();
        }
        Files.deleteIfExists(pidFile); // stale: the child's new one is the ready signal
        Path log = logFile.toAbsolutePath();
        PrivateFiles.createParents(log);
        // Created here, private, before the child's output is appended to it.
        PrivateFiles.append(log).close();
        long logStart = Files.exists(log) ? Files.size(log) : 0;

        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString());
        } else if (Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        boolean nativeAccess = false;
        for (String jvmArg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (jvmArg.startsWith("-agentlib:jdwp") || jvmArg.startsWith("-Xrunjdwp")) {
                continue; // a debugger port would clash with the launcher's
            }
            nativeAccess |= jvmArg.startsWith("--enable-native-access");
            command.add(jvmArg);
        }
        if (!nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        command.add("--foreground");

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        Process child = builder.start();

        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<ProcessHandle> ready = readyServer(pidFile);
            if (ready.isPresent()) {
                String output = readFrom(log, logStart);
                output.lines().filter(l -> l.startsWith("netdisk-server listening on")).forEach(out::println);
                out.println("netdisk-server: running in the background, pid " + ready.get().pid()
                        + ", log " + log + ", pid file " + pidFile.toAbsolutePath());
                out.flush();
                return ExitCode.OK.code();
            }
            if (!child.isAlive()) {
                int code = child.exitValue();
                String output = readFrom(log, logStart).strip();
                err.println(output.isEmpty() ? "netdisk-server: the server exited with code " + code : output);
                err.println("netdisk-server: did not start (exit code " + code + "; log " + log + ")");
                err.flush();
                return code == 0 ? ExitCode.FAILURE.code() : code;
            }
            Thread.sleep(50); // the child gives no other signal than its pid file or its exit
        }
        child.destroy();
        err.println("netdisk-server: not listening after " + READY_TIMEOUT.toSeconds() + " s; stopped it (see " + log + ")");
        return ExitCode.FAILURE.code();
    }

    private static Optional<ProcessHandle> readyServer(Path pidFile) {
        try {
            return PidFile.read(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            return Optional.empty(); // being written
        }
    }

    private static String readFrom(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64 * 1024)];
            raf.seek(offset);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
