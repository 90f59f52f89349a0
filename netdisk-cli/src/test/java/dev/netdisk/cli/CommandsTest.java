package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TransferCancelledException;
import dev.netdisk.cli.client.TransferListener;
import dev.netdisk.cli.client.TransferOptions;
import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import dev.netdisk.protocol.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.Test;

/** Every one-shot command against a real server, through picocli's execute: output and exit code. */
class CommandsTest extends CliTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Registers alice and saves her session, as a user would with 'netdisk register' and 'netdisk login'. */
    private void aliceLoggedIn() {
        loggedIn("alice");
    }

    private Path file(String name, int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return Files.write(work.resolve(name), data);
    }

    private static String md5(Path p) throws Exception {
        return Hex.encodeHexString(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
    }

    @Test
    void registerAndItsRefusals() {
        cli.env(Env.PASSWORD, PASSWORD);
        Cli.Result ok = cli.run("register", "alice");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).isEqualTo("registered alice\n");

        Cli.Result taken = cli.run("register", "alice");
        assertThat(taken.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(taken.err()).startsWith("netdisk: register: 521 ").contains("alice");

        Cli.Result extra = cli.run("register", "carol", "dave");
        assertThat(extra.code()).isEqualTo(ExitCode.USAGE.value());
        Cli.Result invalid = cli.run("register", "bad/name");
        assertThat(invalid.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(invalid.err()).startsWith("netdisk: register: 553 ");

        Cli.Result noUser = cli.env(Env.USER, null).run("register");
        assertThat(noUser.code()).isEqualTo(ExitCode.USAGE.value());
    }

    @Test
    void passwdChangesThePasswordAndEndsTheOtherSessions() throws Exception {
        aliceLoggedIn();
        try (NetdiskClient other = NetdiskClient.connect("127.0.0.1", server.port())) {
            other.login("alice", PASSWORD);
            cli.env(Env.PASSWORD, "wrong-password").env(Env.NEW_PASSWORD, "new-password-1");
            Cli.Result wrong = cli.run("passwd");
            assertThat(wrong.code()).isEqualTo(ExitCode.REFUSED.value());
            assertThat(wrong.err()).isEqualTo("netdisk: passwd: 550 current password incorrect; nothing changed\n");

            Cli.Result changed = cli.env(Env.PASSWORD, PASSWORD).run("passwd");
            assertThat(changed.code()).as(changed.toString()).isZero();
            assertThat(changed.out()).isEqualTo("password changed; 1 other session(s) ended\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(other::pwd).isInstanceOf(java.io.IOException.class);
        }
        cli.env(Env.PASSWORD, null).env(Env.NEW_PASSWORD, null);
        assertThat(cli.run("pwd").out()).as("this session's saved login stays").isEqualTo("/\n");
        try (NetdiskClient c = NetdiskClient.connect("127.0.0.1", server.port())) {
            c.login("alice", "new-password-1");
        }
    }

    @Test
    void loginSavesTheSessionAndLogoutRevokesIt() throws Exception {
        cli.env(Env.PASSWORD, PASSWORD);
        cli.run("register", "alice");
        Cli.Result wrong = cli.env(Env.PASSWORD, "wrong-password").run("login", "alice");
        assertThat(wrong.code()).isEqualTo(ExitCode.AUTH.value());
        assertThat(wrong.err()).isEqualTo("netdisk: login: 530 login incorrect\n");

        Cli.Result login = cli.env(Env.PASSWORD, PASSWORD).run("login", "alice");
        assertThat(login.code()).isZero();
        assertThat(login.out()).startsWith("logged in as alice on 127.0.0.1:" + server.port());
        Path sessions = tmp.resolve("config/sessions.json");
        assertThat(Files.readString(sessions)).contains("\"user\" : \"alice\"");
        String token = JSON.readTree(sessions.toFile()).get("sessions").get(0).get("token").asText();

        // Later commands need no password: the saved token logs them in.
        cli.env(Env.PASSWORD, null);
        assertThat(cli.run("pwd").out()).isEqualTo("/\n");
        assertThat(cli.run("--user", "alice", "pwd").code()).isZero();

        Cli.Result logout = cli.run("logout");
        assertThat(logout.code()).as(logout.toString()).isZero();
        assertThat(logout.out()).isEqualTo("logged out alice\n");
        assertThat(Files.readString(sessions)).doesNotContain("alice");
        try (NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.loginWithToken(token))
                    .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(530));
        }

        Cli.Result after = cli.run("ls");
        assertThat(after.code()).isEqualTo(ExitCode.AUTH.value());
        assertThat(after.err()).startsWith("netdisk: ls: not logged in");
        assertThat(cli.run("logout").code()).isEqualTo(ExitCode.AUTH.value());
        Cli.Result named = cli.run("--user", "alice", "ls");
        assertThat(named.code()).isEqualTo(ExitCode.AUTH.value());
        assertThat(named.err()).contains("not logged in as alice");
    }

    @Test
    void aPasswordFromAFileOrTheEnvironmentWorksWithoutASavedSession() throws Exception {
        cli.env(Env.PASSWORD, PASSWORD).run("register", "alice");
        cli.env(Env.PASSWORD, null);
        Path pw = Files.writeString(tmp.resolve("pw"), PASSWORD + "\n");
        Cli.Result r = cli.run("--user", "alice", "--password-file", pw.toString(), "makedir", "docs");
        assertThat(r.code()).as(r.toString()).isZero();
        Cli.Result env = cli.env(Env.USER, "alice").env(Env.PASSWORD, PASSWORD).run("ls");
        assertThat(env.out()).contains("docs/");
        assertThat(tmp.resolve("config/sessions.json")).doesNotExist();
    }

    @Test
    void navigationCommands() throws Exception {
        aliceLoggedIn();
        assertThat(cli.run("makedir", "docs").code()).isZero();
        Cli.Result again = cli.run("makedir", "docs");
        assertThat(again.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(again.err()).startsWith("netdisk: makedir: 521 already exists: /docs").hasLineCount(1);
        assertThat(cli.run("mkdir", "-p", "docs/2026/nov", "holiday photos").code()).isZero();
        Cli.Result noParent = cli.run("makedir", "x/y");
        assertThat(noParent.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(noParent.err()).startsWith("netdisk: makedir: 550 ");

        Cli.Result ls = cli.run("ls");
        assertThat(ls.code()).isZero();
        assertThat(ls.out().lines()).hasSize(2);
        assertThat(ls.out()).contains("docs/").contains("holiday photos/").startsWith("d            0  ");
        assertThat(cli.run("ls", "/docs/2026").out()).contains("nov/");
        Cli.Result missing = cli.run("ls", "nope");
        assertThat(missing.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(missing.err()).startsWith("netdisk: ls: 550 ").contains("/nope");
        Cli.Result escape = cli.run("cd", "../..");
        assertThat(escape.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(escape.err()).startsWith("netdisk: cd: 553 ");

        Cli.Result batch = cli.run("-c", "cd docs/2026; pwd; cd ..; pwd");
        assertThat(batch.code()).isZero();
        assertThat(batch.out()).isEqualTo("/docs/2026\n/docs\n");
    }

    @Test
    void lsAndStatAsJson() throws Exception {
        aliceLoggedIn();
        Path local = file("notes.txt", 12, 1);
        cli.run("-c", "makedir docs; upload notes.txt /docs/");
        JsonNode list = JSON.readTree(cli.run("ls", "--json", "/docs").out());
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(1);
        JsonNode e = list.get(0);
        assertThat(e.get("name").asText()).isEqualTo("notes.txt");
        assertThat(e.get("type").asText()).isEqualTo("file");
        assertThat(e.get("size").asLong()).isEqualTo(12);
        assertThat(e.get("md5").asText()).isEqualTo(md5(local));
        assertThat(java.time.Instant.parse(e.get("mtime").asText())).isBefore(java.time.Instant.now().plusSeconds(5));

        JsonNode dir = JSON.readTree(cli.run("stat", "--json", "docs").out());
        assertThat(dir.get("type").asText()).isEqualTo("directory");
        assertThat(dir.get("md5").isNull()).isTrue();
        assertThat(dir.get("path").asText()).isEqualTo("/docs");
        assertThat(JSON.readTree(cli.run("ls", "--json", "/docs/notes.txt").out()).get(0).get("size").asInt()).isEqualTo(12);

        Cli.Result stat = cli.run("stat", "/docs/notes.txt");
        assertThat(stat.out()).contains("type:  file", "size:  12 bytes", "md5:   " + md5(local));
        Cli.Result missing = cli.run("stat", "--json", "/nope");
        assertThat(missing.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(missing.out()).isEmpty();
    }

    @Test
    void uploadAndDownload() throws Exception {
        aliceLoggedIn();
        Path local = file("a.txt", 100_000, 2);
        Cli.Result up = cli.run("upload", "a.txt");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.out()).isEqualTo("uploaded /a.txt (100000 bytes, md5 " + md5(local) + ")\n");
        assertThat(up.err()).isEmpty();

        Cli.Result again = cli.run("upload", "a.txt");
        assertThat(again.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(again.err()).startsWith("netdisk: upload: 521 already exists: /a.txt");
        assertThat(cli.run("upload", "--overwrite", "a.txt", "/a.txt").code()).isZero();

        cli.run("makedir", "dir");
        assertThat(cli.run("put", "a.txt", "dir").out()).startsWith("uploaded /dir/a.txt ");
        assertThat(cli.run("upload", "a.txt", "/dir/renamed.txt").out()).startsWith("uploaded /dir/renamed.txt ");

        Cli.Result noLocal = cli.run("upload", "missing.bin");
        assertThat(noLocal.code()).isEqualTo(ExitCode.LOCAL.value());
        assertThat(noLocal.err()).startsWith("netdisk: upload: no such local file");
        Cli.Result directory = cli.run("upload", work.toString());
        assertThat(directory.code()).isEqualTo(ExitCode.LOCAL.value());
        assertThat(directory.err()).contains("is a directory; upload sends one file");

        Path dl = Files.createDirectories(work.resolve("dl"));
        Cli.Result down = cli.run("download", "/dir/renamed.txt", "dl");
        assertThat(down.code()).as(down.toString()).isZero();
        assertThat(down.out()).startsWith("downloaded /dir/renamed.txt to " + dl.resolve("renamed.txt"));
        assertThat(md5(dl.resolve("renamed.txt"))).isEqualTo(md5(local));

        Cli.Result exists = cli.run("download", "/dir/renamed.txt", "dl");
        assertThat(exists.code()).isEqualTo(ExitCode.LOCAL.value());
        assertThat(exists.err()).contains("local file already exists (use --overwrite to replace it)");
        assertThat(cli.run("get", "--overwrite", "/dir/renamed.txt", "dl").code()).isZero();
        assertThat(cli.run("-q", "download", "/a.txt", "dl/quiet.txt").out()).isEmpty();

        Cli.Result noRemote = cli.run("download", "/nope.txt");
        assertThat(noRemote.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(noRemote.err()).startsWith("netdisk: download: 550 ");
    }

    @Test
    void aResumedDownloadSaysSoAndAMismatchIsAnIntegrityFailure() throws Exception {
        aliceLoggedIn();
        Path local = file("big.bin", 1_000_000, 3);
        cli.run("upload", "big.bin", "/big.bin");
        Path dl = Files.createDirectories(work.resolve("dl"));
        Files.write(dl.resolve("big.bin.part"), Arrays.copyOf(Files.readAllBytes(local), 123_456));

        Cli.Result resumed = cli.run("download", "/big.bin", "dl");
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("resuming at 123456 bytes");
        assertThat(md5(dl.resolve("big.bin"))).isEqualTo(md5(local));

        byte[] wrong = new byte[1000];
        Files.write(dl.resolve("again.bin.part"), wrong);
        Cli.Result mismatch = cli.run("download", "/big.bin", "dl/again.bin");
        assertThat(mismatch.code()).isEqualTo(ExitCode.INTEGRITY.value());
        assertThat(mismatch.err()).contains("resuming at 1000 bytes")
                .contains("netdisk: download: checksum mismatch: expected " + md5(local));
        assertThat(dl.resolve("again.bin.part")).doesNotExist();
        assertThat(dl.resolve("again.bin")).doesNotExist();
    }

    @Test
    void aCutUploadResumesFromTheCommandLine() throws Exception {
        aliceLoggedIn();
        // The server keeps whole encrypted parts of 8 MiB (docs/PROTOCOL.md, UPLOAD): cut well past the first,
        // since up to a few MiB may still be in socket buffers when the client stops.
        Path local = file("big.bin", 28 * 1024 * 1024, 4);
        try (NetdiskClient c = dev.netdisk.cli.client.TestConnections.connect(server)) {
            c.login("alice", PASSWORD);
            Cancellation cancel = new Cancellation();
            try {
                c.upload(local, "/big.bin", TransferOptions.DEFAULTS.withCancellation(cancel), new TransferListener() {
                    @Override
                    public void progress(long position) {
                        if (position >= 18L * 1024 * 1024) {
                            cancel.cancel();
                        }
                    }
                });
            } catch (TransferCancelledException expected) {
                // the cut we wanted
            }
        }
        // Until the server has noticed the cut it answers 450 (exit code 6): retry, as a script would.
        Cli.Result r = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> cli.run("upload", "big.bin", "/big.bin"), res -> res.code() != ExitCode.TRANSIENT.value());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).containsPattern("upload: big.bin: resuming at [1-9][0-9]* bytes of 29360128");
        assertThat(r.out()).contains("resumed at");
        assertThat(cli.run("stat", "--json", "/big.bin").out()).contains(md5(local));
    }

    @Test
    void friendsChatGroupsAndHistory() throws Exception {
        aliceLoggedIn();
        cli.env(Env.PASSWORD, PASSWORD).run("register", "bob");
        cli.run("login", "bob");
        cli.env(Env.PASSWORD, null);

        Cli.Result notFriends = cli.run("--user", "alice", "chat", "bob", "hello");
        assertThat(notFriends.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(notFriends.err()).startsWith("netdisk: chat: 550 bob is not your friend");
        assertThat(cli.run("--user", "alice", "friend", "add", "bob").out()).contains("friend request sent to bob");
        assertThat(cli.run("--user", "bob", "friend").out()).contains("alice").contains("asks to be your friend");
        assertThat(cli.run("--user", "bob", "friend", "accept", "alice").code()).isZero();
        JsonNode friends = JSON.readTree(cli.run("--user", "alice", "friend", "list", "--json").out());
        assertThat(friends.get(0).get("name").asText()).isEqualTo("bob");
        assertThat(friends.get(0).get("relation").asText()).isEqualTo("friend");

        Cli.Result offline = cli.run("--user", "alice", "chat", "bob", "see", "you at 10,", "\"the usual place\"");
        assertThat(offline.code()).as(offline.toString()).isZero();
        assertThat(offline.out()).isEqualTo("sent to bob (0 connections now, 1 offline user kept for later)\n");
        // bob's next one-shot command does not listen: the message stays kept for his listener, unread.
        Cli.Result bobLs = cli.run("--user", "bob", "ls");
        assertThat(bobLs.code()).isZero();
        assertThat(bobLs.err()).doesNotContain("see you");
        assertThat(cli.run("--user", "bob", "unread").out()).isEqualTo("alice: 1 unread (history alice)\n");
        assertThat(cli.run("--user", "bob", "history", "alice").out())
                .contains("alice -> bob: see you at 10, \"the usual place\"");
        JsonNode history = JSON.readTree(cli.run("--user", "bob", "history", "--json", "-n", "1", "alice").out());
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("from").asText()).isEqualTo("alice");
        // Unsend: what alice sent goes for both sides, and her chat history is freed.
        assertThat(cli.run("--user", "alice", "history", "--clear", "bob").out())
                .isEqualTo("deleted 1 message you sent to bob (32 bytes of chat history freed)\n");
        assertThat(cli.run("--user", "bob", "history", "alice").out()).isEmpty();

        assertThat(cli.run("--user", "alice", "group", "create", "team").out()).contains("#team created");
        // Invite-only: a stranger is refused with the reason, an invited user joins.
        Cli.Result refused = cli.run("--user", "bob", "group", "join", "#team");
        assertThat(refused.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(refused.err()).isEqualTo("netdisk: group: 550 #team is invite-only: ask its owner or an admin to invite you\n");
        assertThat(cli.run("--user", "alice", "group", "invite", "team", "bob").out()).isEqualTo("bob invited to #team\n");
        assertThat(cli.run("--user", "bob", "group", "join", "#team").code()).isZero();
        assertThat(cli.run("--user", "alice", "group", "promote", "team", "bob").out()).contains("bob is now an admin");
        assertThat(cli.run("--user", "alice", "group", "invite", "team").code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(cli.run("--user", "bob", "group", "members", "team").out()).contains("alice").contains("owner");
        assertThat(cli.run("--user", "alice", "group").out()).contains("#team").contains("2 members");
        assertThat(cli.run("--user", "alice", "chat", "#team", "stand-up").code()).isZero();
        Cli.Result unknownAction = cli.run("--user", "alice", "group", "explode", "team");
        assertThat(unknownAction.code()).isEqualTo(ExitCode.USAGE.value());

        Cli.Result nobody = cli.run("--user", "alice", "chat", "nobody", "hello");
        assertThat(nobody.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(nobody.err()).isEqualTo("netdisk: chat: 550 no such user: nobody\n");
    }

    @Test
    void aTransientRefusalHasItsOwnExitCode() throws Exception {
        aliceLoggedIn();
        file("a.bin", 100, 50);
        cli.run("upload", "a.bin");
        // Use up alice's unused download tickets (PROTOCOL.md section 10: 64) over a raw connection.
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port())) {
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(raw.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            java.io.Writer out = new java.io.OutputStreamWriter(raw.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8);
            out.write("LOGIN alice " + PASSWORD + "\n");
            for (int i = 0; i < 70; i++) {
                out.write("DOWNLOAD /a.bin\n");
            }
            out.flush();
            String line;
            int refused = 0;
            int replies = 0;
            while (replies < 72 && (line = in.readLine()) != null) {
                if (line.startsWith("* ")) {
                    continue;
                }
                replies++;
                if (line.startsWith("450 ")) {
                    refused++;
                }
            }
            assertThat(refused).as("the server's ticket limit").isPositive();
            Cli.Result r = cli.run("download", "/a.bin", "again.bin");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.TRANSIENT.value());
            assertThat(r.err()).startsWith("netdisk: download: 450 ");
        }
    }

    @Test
    void severalFilesAtOnce() throws Exception {
        aliceLoggedIn();
        Path a = file("a.bin", 3000, 40);
        Path b = file("b.bin", 4000, 41);
        cli.run("makedir", "in");
        Cli.Result up = cli.run("upload", "a.bin", "b.bin", "/in");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.out()).contains("uploaded /in/a.bin").contains("uploaded /in/b.bin");
        Path dir = Files.createDirectories(work.resolve("back"));
        Cli.Result down = cli.run("get", "/in/a.bin", "/in/b.bin", "back");
        assertThat(down.code()).as(down.toString()).isZero();
        assertThat(md5(dir.resolve("a.bin"))).isEqualTo(md5(a));
        assertThat(md5(dir.resolve("b.bin"))).isEqualTo(md5(b));
        Cli.Result notDir = cli.run("get", "/in/a.bin", "/in/b.bin", "back/a.bin");
        assertThat(notDir.code()).isEqualTo(ExitCode.LOCAL.value());
    }

    @Test
    void fileManagementCommands() throws Exception {
        aliceLoggedIn();
        file("a.txt", 1000, 30);
        assertThat(cli.run("-c", "makedir docs; upload a.txt /docs/; mv /docs/a.txt /docs/b.txt").code()).isZero();
        assertThat(cli.run("mkdir", "archive").code()).isZero();
        assertThat(cli.run("cp", "/docs/b.txt", "archive").out()).startsWith("copied /docs/b.txt to archive/b.txt");
        assertThat(cli.run("mv", "/docs", "/archive/").code()).isZero();
        assertThat(cli.run("ls", "/archive").out()).contains("b.txt").contains("docs/");
        assertThat(cli.run("du", "/").out()).startsWith("2000 bytes");
        assertThat(cli.run("du", "/").out()).contains("\nplus 0 B in the trash and 0 B reserved by unfinished uploads");
        assertThat(JSON.readTree(cli.run("du", "--json", "/archive").out()).get("files").asInt()).isEqualTo(2);
        assertThat(cli.run("quota").out()).contains("used  2.0 KiB of ");
        assertThat(JSON.readTree(cli.run("quota", "--json").out()).get("used").asLong()).isEqualTo(2000);

        Cli.Result rm = cli.run("rm", "/archive/b.txt");
        assertThat(rm.out()).matches("trashed /archive/b.txt \\(trash id \\d+\\)\n");
        Cli.Result notRecursive = cli.run("rm", "/archive");
        assertThat(notRecursive.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(notRecursive.err()).startsWith("netdisk: rm: 550 is a directory");
        assertThat(cli.run("rm", "-r", "/archive").code()).isZero();
        Cli.Result trash = cli.run("trash");
        assertThat(trash.out()).contains("/archive/b.txt").contains("/archive");
        // Times carry their offset; --utc prints them in UTC (issue 19).
        assertThat(trash.out().lines().findFirst().orElseThrow()).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d ");
        assertThat(cli.run("--utc", "trash").out()).contains(" +00:00 ");
        assertThat(cli.run("makedir", "/utc-check").code()).isZero();
        assertThat(cli.run("--utc", "ls", "/").out()).contains(" +00:00  utc-check/");
        assertThat(cli.run("stat", "--utc", "/").out()).containsPattern("mtime: .* \\+00:00");
        String id = trash.out().lines().findFirst().orElseThrow().trim().split(" +")[0];
        assertThat(cli.run("trash", "restore", id, "/back.txt").out()).isEqualTo("restored /back.txt\n");
        assertThat(cli.run("trash", "empty").out()).startsWith("emptied the trash");
        assertThat(cli.run("ls", "/").out()).contains("back.txt");
        assertThat(cli.run("trash", "explode").code()).isEqualTo(ExitCode.USAGE.value());
    }

    @Test
    void sharesLinksAndFetch() throws Exception {
        aliceLoggedIn();
        cli.env(Env.PASSWORD, PASSWORD).run("register", "bob");
        cli.run("login", "bob");
        cli.env(Env.PASSWORD, null);
        Path local = file("report.pdf", 50_000, 31);
        cli.run("--user", "alice", "upload", "report.pdf");
        cli.run("--user", "alice", "friend", "add", "bob");
        cli.run("--user", "bob", "friend", "accept", "alice");

        assertThat(cli.run("--user", "alice", "share", "report.pdf", "bob").out()).contains("/shared/alice/report.pdf");
        assertThat(cli.run("--user", "bob", "shares").out()).contains("from alice").contains("/shared/alice/report.pdf");
        Cli.Result readOnly = cli.run("--user", "bob", "rm", "/shared/alice/report.pdf");
        assertThat(readOnly.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(readOnly.err()).contains("550 read-only");
        assertThat(cli.run("--user", "alice", "unshare", "report.pdf").code()).isZero();

        String code = cli.run("--user", "alice", "link", "--expires", "1d", "report.pdf").out().trim().split(" ")[0];
        assertThat(code).matches("[a-z2-7]{16}");
        assertThat(cli.run("--user", "alice", "links").out()).contains(code).contains("/report.pdf");
        Path dir = Files.createDirectories(work.resolve("fetched"));
        Cli.Result fetched = cli.run("--user", "bob", "fetch", code, "fetched");
        assertThat(fetched.code()).as(fetched.toString()).isZero();
        assertThat(md5(dir.resolve("report.pdf"))).isEqualTo(md5(local));
        assertThat(cli.run("--user", "alice", "unlink", code).code()).isZero();
        Cli.Result gone = cli.run("--user", "bob", "fetch", code, "fetched/again.pdf");
        assertThat(gone.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(gone.err()).startsWith("netdisk: fetch: 550 no such link");
    }

    @Test
    void theSharingCommandsAlsoTakeTheSpellingsOfShareListLinkAndUnshareLink() throws Exception {
        aliceLoggedIn();
        cli.env(Env.PASSWORD, PASSWORD).run("register", "bob");
        cli.run("login", "bob");
        cli.env(Env.PASSWORD, null);
        file("notes.txt", 1_000, 7);
        cli.run("--user", "alice", "upload", "notes.txt");
        cli.run("--user", "alice", "friend", "add", "bob");
        cli.run("--user", "bob", "friend", "accept", "alice");

        Cli.Result shared = cli.run("--user", "alice", "share", "notes.txt", "with", "bob");
        assertThat(shared.code()).as(shared.toString()).isZero();
        assertThat(cli.run("--user", "alice", "share", "list").out()).contains("to   bob").contains("/notes.txt");
        String code = cli.run("--user", "alice", "share", "link", "--expires", "2h", "notes.txt").out().trim().split(" ")[0];
        assertThat(code).matches("[a-z2-7]{16}");
        assertThat(cli.run("--user", "alice", "share", "links").out()).contains(code);
        assertThat(cli.run("--user", "alice", "unshare", "link", code).out()).contains("revoked");
        assertThat(cli.run("--user", "alice", "share", "links").out()).doesNotContain(code);

        Cli.Result bad = cli.run("--user", "alice", "share", "notes.txt", "to", "bob");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE.value());
        assertThat(bad.err()).contains("usage: share PATH [with] USER");
    }

    @Test
    void batchScriptsStopAtTheFirstFailure() throws Exception {
        aliceLoggedIn();
        file("x.bin", 5000, 5);
        Cli.Result ok = cli.run("-c", "makedir a; cd a; upload x.bin; ls");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("uploaded /a/x.bin").contains("x.bin\n");

        Files.writeString(work.resolve("script.nd"), """
                # a failing script
                makedir b
                makedir a        # exists: stops here
                makedir c
                """);
        Cli.Result failed = cli.run("-f", "script.nd");
        assertThat(failed.code()).isEqualTo(ExitCode.REFUSED.value());
        assertThat(failed.err()).startsWith("netdisk: makedir: 521 already exists: /a").hasLineCount(1);
        assertThat(cli.run("ls", "/").out()).contains("b/").doesNotContain("c/");

        Cli.Result fromStdin = cli.runWithStdin("cd a\nls\n", "-f", "-");
        assertThat(fromStdin.code()).isZero();
        assertThat(fromStdin.out()).contains("x.bin");
    }

    @Test
    void theSessionOfAPasswordLoginIsRevokedWhenTheCommandEnds() throws Exception {
        cli.env(Env.PASSWORD, PASSWORD).run("register", "alice");
        assertThat(cli.env(Env.USER, "alice").run("ls").code()).isZero();
        // Nothing was saved, and nothing was left behind to save.
        assertThat(tmp.resolve("config/sessions.json")).doesNotExist();
    }
}
