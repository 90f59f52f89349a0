package dev.netdisk.cli.session;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the outside world gives one run of {@code netdisk}: environment variables, standard
 * streams and whether they are terminals. Tests build their own to stay off the real ones.
 *
 * @param vars            environment variables
 * @param stdin           standard input (script lines in piped mode)
 * @param progress        where progress bars go (standard error)
 * @param stdinTerminal   standard input is a terminal: prompt for passwords, run the JLine shell
 * @param stderrTerminal  standard error is a terminal: show progress bars
 * @param terminalWidth   columns of the terminal on standard error (80 if unknown)
 * @param workingDir      the directory relative local paths start from
 * @param prompt          asks for a password without echo; used only when {@code stdinTerminal}
 * @param stdout          standard output as bytes, for {@code cat} and {@code download REMOTE -}
 */
public record Env(Map<String, String> vars, InputStream stdin, PrintStream progress, boolean stdinTerminal,
           boolean stderrTerminal, int terminalWidth, Path workingDir, PasswordPrompt prompt, OutputStream stdout) {

    /** An environment whose byte output goes to {@link System#out}. */
    public Env(Map<String, String> vars, InputStream stdin, PrintStream progress, boolean stdinTerminal,
               boolean stderrTerminal, int terminalWidth, Path workingDir, PasswordPrompt prompt) {
        this(vars, stdin, progress, stdinTerminal, stderrTerminal, terminalWidth, workingDir, prompt, System.out);
    }

    public static final String HOST = "NETDISK_HOST";
    public static final String PORT = "NETDISK_PORT";
    public static final String USER = "NETDISK_USER";
    public static final String PASSWORD = "NETDISK_PASSWORD";
    /** The new password of {@code passwd}, when no file gives it. */
    public static final String NEW_PASSWORD = "NETDISK_NEW_PASSWORD";
    public static final String CONFIG_DIR = "NETDISK_CONFIG_DIR";

    /** Reads a password from the user without echo, or returns {@code null} if it cannot. */
    public interface PasswordPrompt {
        char[] read(String prompt);
    }

    /** The real process environment. */
    public static Env system() {
        Tty tty = Tty.detect();
        return new Env(System.getenv(), System.in, System.err, tty.stdin(), tty.stderr(), tty.stderrWidth(),
                Path.of("").toAbsolutePath(), Env::consolePassword);
    }

    String var(String name) {
        String v = vars.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    Env withPrompt(PasswordPrompt newPrompt) {
        return new Env(vars, stdin, progress, stdinTerminal, stderrTerminal, terminalWidth, workingDir, newPrompt, stdout);
    }

    /** The directory holding saved sessions and shell history. */
    public Path configDir() {
        String dir = var(CONFIG_DIR);
        if (dir != null) {
            return Path.of(dir);
        }
        String xdg = var("XDG_CONFIG_HOME");
        if (xdg != null) {
            return Path.of(xdg, "netdisk");
        }
        String home = var("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"), ".config", "netdisk");
    }

    /**
     * Where temporary files go: {@code $TMPDIR} when it names a directory (as other Unix tools
     * do; Java's default ignores it), else {@code java.io.tmpdir}.
     */
    public Path tempDir() {
        String tmpdir = var("TMPDIR");
        return tmpdir != null && java.nio.file.Files.isDirectory(Path.of(tmpdir))
                ? Path.of(tmpdir) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static char[] consolePassword(String prompt) {
        java.io.Console console = System.console();
        return console == null ? null : console.readPassword("%s", prompt);
    }
}
