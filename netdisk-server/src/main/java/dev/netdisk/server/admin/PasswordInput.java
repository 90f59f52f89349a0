package dev.netdisk.server.admin;

import dev.netdisk.server.auth.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where an administrator's new password comes from: never the command line (it would be in the
 * shell history and in {@code ps}). With {@code --password-file FILE} its first line ({@code -}:
 * stdin's first line); otherwise a prompt on the terminal, asked twice; otherwise stdin's first line.
 */
final class PasswordInput {

    private PasswordInput() {
    }

    static String read(Path passwordFile, String user) throws IOException, AdminException {
        String password;
        if (passwordFile != null && !passwordFile.toString().equals("-")) {
            password = firstLine(Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8), passwordFile.toString());
        } else if (passwordFile == null && System.console() != null) {
            Console console = System.console();
            char[] first = console.readPassword("New password for %s: ", user);
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null) {
                throw new AdminException("no password given");
            }
            if (!Arrays.equals(first, second)) {
                throw new AdminException("the passwords differ; nothing changed");
            }
            password = new String(first);
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        } else {
            password = firstLine(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "stdin");
        }
        check(password);
        return password;
    }

    private static String firstLine(BufferedReader reader, String from) throws IOException, AdminException {
        try (reader) {
            String line = reader.readLine();
            if (line == null) {
                throw new AdminException("no password in " + from);
            }
            return line;
        }
    }

    /** The rule of {@code docs/PROTOCOL.md} section 4: 8 to 1024 bytes of UTF-8, no control characters. */
    static void check(String password) throws AdminException {
        int bytes = PasswordHasher.byteLength(password);
        if (bytes < 8 || bytes > 1024) {
            throw new AdminException("a password is 8 to 1024 bytes, this one " + bytes);
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw new AdminException("a password may not hold control characters");
        }
    }
}
