package dev.netdisk.cli.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * Where a password comes from, in order: {@code --password-file}, {@code NETDISK_PASSWORD}, a
 * masked prompt when standard input is a terminal. Never the command line. Stateless.
 */
public final class Credentials {

    private Credentials() {
    }

    /**
     * The password for {@code user}, or {@code null} if no source has one.
     *
     * @param confirm on a prompt, ask twice and insist on equal answers (for {@code register})
     */
    static String password(Settings settings, Env env, String user, boolean confirm) throws IOException {
        if (settings.passwordFile() != null) {
            List<String> lines = Files.readAllLines(settings.passwordFile(), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new UsageException("the password file is empty: " + settings.passwordFile());
            }
            return lines.get(0);
        }
        String fromEnv = env.var(Env.PASSWORD);
        if (fromEnv != null) {
            return fromEnv;
        }
        if (!env.stdinTerminal() || env.prompt() == null) {
            return null;
        }
        String prompt = "Password for " + user + "@" + settings.host() + ": ";
        char[] first = env.prompt().read(prompt);
        if (first == null) {
            return null;
        }
        if (confirm) {
            char[] second = env.prompt().read("Repeat the password: ");
            if (second == null || !new String(first).equals(new String(second))) {
                throw new UsageException("the passwords do not match");
            }
        }
        return new String(first);
    }

    /**
     * The new password for {@code passwd}, in order: {@code newPasswordFile}'s first line,
     * {@code NETDISK_NEW_PASSWORD}, a masked prompt asked twice on a terminal.
     */
    public static String newPassword(Env env, java.nio.file.Path newPasswordFile) throws IOException {
        if (newPasswordFile != null) {
            List<String> lines = Files.readAllLines(newPasswordFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new UsageException("the new password file is empty: " + newPasswordFile);
            }
            return lines.get(0);
        }
        String fromEnv = env.var(Env.NEW_PASSWORD);
        if (fromEnv != null) {
            return fromEnv;
        }
        if (!env.stdinTerminal() || env.prompt() == null) {
            throw new UsageException("no new password: use --new-password-file FILE or " + Env.NEW_PASSWORD
                    + ", or run on a terminal to be asked");
        }
        char[] first = env.prompt().read("New password: ");
        char[] second = first == null ? null : env.prompt().read("Repeat the new password: ");
        if (first == null || second == null || !new String(first).equals(new String(second))) {
            throw new UsageException("the new passwords do not match");
        }
        return new String(first);
    }

    /** The password, or a clear failure telling where a password can come from. */
    public static String required(Settings settings, Env env, String user, boolean confirm) throws IOException {
        String password = password(settings, env, user, confirm);
        if (password == null) {
            throw new NotLoggedInException("no password for " + user
                    + ": use --password-file FILE or NETDISK_PASSWORD, or run on a terminal to be asked");
        }
        return password;
    }
}
