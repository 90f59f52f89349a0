package dev.netdisk.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ReplyException;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client library against a real server on a free loopback port. */
class NetdiskClientTest {

    private static final String PASSWORD = "correct-horse";

    @TempDir
    Path tmp;

    private NetdiskServer server;
    private NetdiskClient alice;

    @BeforeEach
    void start() throws Exception {
        server = NetdiskServer.start(ServerConfig.forTests(tmp.resolve("server")));
        alice = loggedIn("alice");
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        server.close();
    }

    private NetdiskClient connect() throws IOException {
        return dev.netdisk.cli.client.TestConnections.connect(server);
    }

    private NetdiskClient loggedIn(String user) throws IOException {
        NetdiskClient c = connect();
        c.register(user, PASSWORD);
        c.login(user, PASSWORD);
        return c;
    }

    static Path randomFile(Path path, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(path, data);
        return path;
    }

    static String md5(Path file) throws Exception {
        return Hex.encodeHexString(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    @Test
    void greetingRegisterLoginAndTokenLogin() throws Exception {
        try (NetdiskClient c = connect()) {
            assertThat(c.greeting()).contains("protocol 1");
            c.register("bob", PASSWORD);
            assertThatThrownBy(() -> c.register("bob", PASSWORD)).isInstanceOfSatisfying(ReplyException.class,
                    e -> assertThat(e.code()).isEqualTo(521));
            assertThatThrownBy(() -> c.login("bob", "wrong-password")).isInstanceOfSatisfying(ReplyException.class,
                    e -> assertThat(e.code()).isEqualTo(530));
            LoginResult login = c.login("BOB", PASSWORD);
            assertThat(login.user()).isEqualTo("bob");
            assertThat(login.token()).matches("[0-9a-f]{64}");
            assertThat(login.expires()).isAfter(java.time.Instant.now());
            assertThat(c.user()).isEqualTo("bob");

            try (NetdiskClient other = connect()) {
                assertThat(other.loginWithToken(login.token()).user()).isEqualTo("bob");
                assertThat(other.pwd()).isEqualTo("/");
            }
            c.logout();
            assertThat(c.user()).isNull();
            try (NetdiskClient other = connect()) {
                assertThatThrownBy(() -> other.loginWithToken(login.token()))
                        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(530));
            }
        }
    }

    @Test
    void commandsNeedALogin() throws Exception {
        try (NetdiskClient c = connect()) {
            assertThatThrownBy(() -> c.files().ls(null)).isInstanceOfSatisfying(ReplyException.class,
                    e -> assertThat(e.code()).isEqualTo(530));
        }
    }

    @Test
    void navigationWithAwkwardNames() throws Exception {
        assertThat(alice.files().makedir("holiday photos", false)).isEqualTo("/holiday photos");
        assertThat(alice.files().makedir("a/\"quoted\" b/c", true)).isEqualTo("/a/\"quoted\" b/c");
        assertThat(alice.files().makedir("-dash", false)).isEqualTo("/-dash");
        assertThatThrownBy(() -> alice.files().makedir("holiday photos", false))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(521));
        assertThatThrownBy(() -> alice.files().makedir("x/y", false))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));

        assertThat(alice.cd("a/\"quoted\" b")).isEqualTo("/a/\"quoted\" b");
        assertThat(alice.cwd()).isEqualTo("/a/\"quoted\" b");
        assertThat(alice.pwd()).isEqualTo("/a/\"quoted\" b");
        assertThat(alice.files().ls(null)).extracting(Entry::name).containsExactly("c");
        assertThat(alice.cd("..")).isEqualTo("/a");
        assertThat(alice.cd(null)).isEqualTo("/");
        assertThatThrownBy(() -> alice.cd("../.."))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(553));
        assertThat(alice.cd("-dash")).isEqualTo("/-dash");
        alice.cd("/");

        List<Entry> root = alice.files().ls("/");
        assertThat(root).extracting(Entry::name).containsExactly("-dash", "a", "holiday photos");
        assertThat(root).allMatch(Entry::isDirectory);
        Entry stat = alice.files().stat("holiday photos");
        assertThat(stat.name()).isEqualTo("holiday photos");
        assertThat(stat.md5()).isNull();
        assertThat(alice.files().stat("/").name()).isEqualTo("/");
        assertThatThrownBy(() -> alice.files().stat("nope"))
                .isInstanceOfSatisfying(ReplyException.class, e -> {
                    assertThat(e.code()).isEqualTo(550);
                    assertThat(e.text()).contains("/nope");
                });
    }

    @Test
    void uploadAndDownloadRoundTrip() throws Exception {
        Path local = randomFile(tmp.resolve("data.bin"), 3 * 1024 * 1024 + 17, 1);
        alice.files().makedir("docs", false);
        AtomicLong lastPosition = new AtomicLong();
        TransferResult up = alice.upload(local, "docs/", TransferOptions.DEFAULTS, new TransferListener() {
            @Override
            public void progress(long position) {
                lastPosition.set(position);
            }
        });
        assertThat(up.remotePath()).isEqualTo("/docs/data.bin");
        assertThat(up.offset()).isZero();
        assertThat(up.md5()).isEqualTo(md5(local));
        assertThat(lastPosition.get()).isEqualTo(Files.size(local));

        Entry entry = alice.files().stat("/docs/data.bin");
        assertThat(entry.size()).isEqualTo(Files.size(local));
        assertThat(entry.md5()).isEqualTo(md5(local));

        // An existing directory named without a trailing slash also receives the file inside it.
        alice.files().makedir("more", false);
        assertThat(alice.upload(local, "more", TransferOptions.DEFAULTS, null).remotePath()).isEqualTo("/more/data.bin");

        Path dir = Files.createDirectories(tmp.resolve("dl"));
        TransferResult down = alice.download("/docs/data.bin", dir, TransferOptions.DEFAULTS, null);
        assertThat(down.localPath()).isEqualTo(dir.resolve("data.bin"));
        assertThat(Files.mismatch(local, dir.resolve("data.bin"))).isEqualTo(-1L);
        assertThat(dir.resolve("data.bin.part")).doesNotExist();
    }

    @Test
    void emptyFilesTravelToo() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty"));
        alice.upload(empty, null, TransferOptions.DEFAULTS, null);
        assertThat(alice.files().stat("empty").size()).isZero();
        Path back = tmp.resolve("back");
        alice.download("empty", back, TransferOptions.DEFAULTS, null);
        assertThat(back).exists().isEmptyFile();
    }

    @Test
    void existingTargetsNeedOverwrite() throws Exception {
        Path local = randomFile(tmp.resolve("a.txt"), 1000, 2);
        alice.upload(local, "/a.txt", TransferOptions.DEFAULTS, null);
        assertThatThrownBy(() -> alice.upload(local, "/a.txt", TransferOptions.DEFAULTS, null))
                .isInstanceOfSatisfying(ReplyException.class, e -> {
                    assertThat(e.code()).isEqualTo(521);
                    assertThat(e.text()).contains("/a.txt");
                });
        Path changed = randomFile(tmp.resolve("b.txt"), 2000, 3);
        alice.upload(changed, "/a.txt", TransferOptions.DEFAULTS.withOverwrite(true), null);
        assertThat(alice.files().stat("/a.txt").md5()).isEqualTo(md5(changed));

        assertThatThrownBy(() -> alice.download("/a.txt", local, TransferOptions.DEFAULTS, null))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        alice.download("/a.txt", local, TransferOptions.DEFAULTS.withOverwrite(true), null);
        assertThat(md5(local)).isEqualTo(md5(changed));
    }

    @Test
    void missingFilesAreReported() throws Exception {
        assertThatThrownBy(() -> alice.upload(tmp.resolve("nope"), null, TransferOptions.DEFAULTS, null))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> alice.download("/nope", tmp.resolve("x"), TransferOptions.DEFAULTS, null))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));
        assertThat(tmp.resolve("x.part")).doesNotExist();
    }

    @Test
    void aCutUploadResumesAndSendsOnlyTheRemainder() throws Exception {
        // The server keeps whole encrypted parts of 8 MiB (docs/PROTOCOL.md, UPLOAD): cut well past the first,
        // since up to a few MiB may still be in socket buffers when the client stops.
        int size = 28 * 1024 * 1024;
        Path local = randomFile(tmp.resolve("big.bin"), size, 4);
        Cancellation cancel = new Cancellation();
        long cutAt = 18L * 1024 * 1024;
        assertThatThrownBy(() -> alice.upload(local, "big.bin", TransferOptions.DEFAULTS.withCancellation(cancel),
                new TransferListener() {
                    @Override
                    public void progress(long position) {
                        if (position >= cutAt) {
                            cancel.cancel();
                        }
                    }
                })).isInstanceOf(TransferCancelledException.class);
        assertThatThrownBy(() -> alice.files().stat("big.bin")).isInstanceOf(ReplyException.class);

        AtomicLong offset = new AtomicLong(-1);
        AtomicLong sent = new AtomicLong();
        TransferListener listener = new TransferListener() {
            @Override
            public void started(String remotePath, long o, long s) {
                offset.set(o);
            }

            @Override
            public void progress(long position) {
                sent.set(position - offset.get());
            }
        };
        // The server notices the closed data connection asynchronously; until then it says 450.
        TransferResult result = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> uploadUnlessBusy(local, listener), r -> r != null);
        assertThat(result.offset()).isPositive().isLessThanOrEqualTo(cutAt + NetdiskClient.CHUNK);
        assertThat(offset.get()).isEqualTo(result.offset());
        assertThat(sent.get()).isEqualTo(size - result.offset());
        assertThat(result.transferred()).isEqualTo(size - result.offset());
        assertThat(alice.files().stat("big.bin").md5()).isEqualTo(md5(local));
    }

    private TransferResult uploadUnlessBusy(Path local, TransferListener listener) throws IOException {
        return uploadUnlessBusy(local, "big.bin", listener);
    }

    private TransferResult uploadUnlessBusy(Path local, String remote, TransferListener listener) throws IOException {
        try {
            return alice.upload(local, remote, TransferOptions.DEFAULTS, listener);
        } catch (ReplyException e) {
            if (e.code() == 450) {
                return null;
            }
            throw e;
        }
    }

    @Test
    void aDownloadResumesFromThePartFile() throws Exception {
        int size = 2 * 1024 * 1024 + 5;
        Path local = randomFile(tmp.resolve("src.bin"), size, 5);
        alice.upload(local, "f.bin", TransferOptions.DEFAULTS, null);

        Path target = tmp.resolve("f.bin");
        byte[] all = Files.readAllBytes(local);
        Files.write(tmp.resolve("f.bin.part"), java.util.Arrays.copyOf(all, 1_000_000));
        AtomicLong offset = new AtomicLong(-1);
        TransferResult r = alice.download("f.bin", target, TransferOptions.DEFAULTS, new TransferListener() {
            @Override
            public void started(String remotePath, long o, long s) {
                offset.set(o);
            }
        });
        assertThat(offset.get()).isEqualTo(1_000_000L);
        assertThat(r.offset()).isEqualTo(1_000_000L);
        assertThat(Files.mismatch(local, target)).isEqualTo(-1L);
        assertThat(tmp.resolve("f.bin.part")).doesNotExist();
    }

    @Test
    void aCorruptPartFileIsAChecksumMismatchAndIsDiscarded() throws Exception {
        Path local = randomFile(tmp.resolve("src.bin"), 500_000, 6);
        alice.upload(local, "f.bin", TransferOptions.DEFAULTS, null);
        Path part = randomFile(tmp.resolve("f.bin.part"), 100_000, 7);  // not the file's prefix
        String expected = md5(local);

        assertThatThrownBy(() -> alice.download("f.bin", tmp.resolve("f.bin"), TransferOptions.DEFAULTS, null))
                .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(expected);
                    assertThat(e.actual()).isNotEqualTo(e.expected());
                });
        assertThat(part).doesNotExist();
        assertThat(tmp.resolve("f.bin")).doesNotExist();

        alice.download("f.bin", tmp.resolve("f.bin"), TransferOptions.DEFAULTS, null);  // a clean re-run works
        assertThat(md5(tmp.resolve("f.bin"))).isEqualTo(md5(local));
    }

    @Test
    void aPartFileLongerThanTheRemoteFileStartsOver() throws Exception {
        Path local = randomFile(tmp.resolve("src.bin"), 1000, 8);
        alice.upload(local, "small.bin", TransferOptions.DEFAULTS, null);
        randomFile(tmp.resolve("small.bin.part"), 5000, 9);
        TransferResult r = alice.download("small.bin", tmp.resolve("small.bin"), TransferOptions.DEFAULTS, null);
        assertThat(r.offset()).isZero();
        assertThat(md5(tmp.resolve("small.bin"))).isEqualTo(md5(local));
    }

    @Test
    void aResumeFromAChangedLocalFileIs554AndTheNextUploadStartsOver() throws Exception {
        // The MD5 follows the bytes: on resume the client hashes its own file's prefix, so a file
        // changed inside the kept prefix no longer matches what the server holds.
        // The server keeps whole encrypted parts of 8 MiB (docs/PROTOCOL.md, UPLOAD): cut well past the first,
        // since up to a few MiB may still be in socket buffers when the client stops.
        int size = 28 * 1024 * 1024;
        Path local = randomFile(tmp.resolve("moving.bin"), size, 10);
        Cancellation cancel = new Cancellation();
        assertThatThrownBy(() -> alice.upload(local, "moving.bin", TransferOptions.DEFAULTS.withCancellation(cancel),
                new TransferListener() {
                    @Override
                    public void progress(long position) {
                        if (position >= 18L * 1024 * 1024) {
                            cancel.cancel();
                        }
                    }
                })).isInstanceOf(TransferCancelledException.class);
        try (RandomAccessFile f = new RandomAccessFile(local.toFile(), "rw")) {
            int b = f.read();
            f.seek(0);
            f.write(b ^ 0xff);
        }
        AtomicLong offset = new AtomicLong(-1);
        TransferListener listener = new TransferListener() {
            @Override
            public void started(String remotePath, long o, long s) {
                offset.set(o);
            }
        };
        assertThatThrownBy(() -> await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> uploadUnlessBusy(local, "moving.bin", listener), r -> r != null))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("554");
        assertThat(offset.get()).as("it resumed").isPositive();
        assertThatThrownBy(() -> alice.files().stat("moving.bin"))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));

        TransferResult again = alice.upload(local, "moving.bin", TransferOptions.DEFAULTS, null);
        assertThat(again.offset()).isZero();
        assertThat(alice.files().stat("moving.bin").md5()).isEqualTo(md5(local));
    }

    @Test
    void aCancelledDownloadKeepsItsPartFile() throws Exception {
        int size = 6 * 1024 * 1024;
        Path local = randomFile(tmp.resolve("src.bin"), size, 11);
        alice.upload(local, "f.bin", TransferOptions.DEFAULTS, null);
        Cancellation cancel = new Cancellation();
        Path target = tmp.resolve("f.bin");
        assertThatThrownBy(() -> alice.download("f.bin", target, TransferOptions.DEFAULTS.withCancellation(cancel),
                new TransferListener() {
                    @Override
                    public void progress(long position) {
                        if (position > 1024 * 1024) {
                            cancel.cancel();
                        }
                    }
                })).isInstanceOf(TransferCancelledException.class);
        Path part = tmp.resolve("f.bin.part");
        assertThat(part).exists();
        assertThat(target).doesNotExist();
        long kept = Files.size(part);
        assertThat(kept).isPositive().isLessThan(size);

        TransferResult r = alice.download("f.bin", target, TransferOptions.DEFAULTS, null);
        assertThat(r.offset()).isEqualTo(kept);
        assertThat(Files.mismatch(local, target)).isEqualTo(-1L);
    }

    private static void befriend(NetdiskClient a, NetdiskClient b) throws IOException {
        a.social().friendAdd(b.user());
        b.social().friendAccept(a.user());
    }

    @Test
    void friendsChatOnlineAndOfflineAndKeepHistory() throws Exception {
        BlockingQueue<ChatMessage> received = new ArrayBlockingQueue<>(10);
        BlockingQueue<String> events = new ArrayBlockingQueue<>(10);
        try (NetdiskClient bob = loggedIn("bob")) {
            bob.setEventListener(new EventListener() {
                @Override
                public void chat(ChatMessage message) {
                    received.add(message);
                }

                @Override
                public void other(String event) {
                    events.add(event);
                }
            });
            assertThat(bob.social().listen(null).heartbeatSeconds()).isPositive();
            assertThatThrownBy(() -> alice.social().chat("bob", "hi"))
                    .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));
            assertThat(alice.social().friendAdd("bob")).contains("bob");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("FRIEND REQUEST alice");
            assertThat(bob.social().friends()).containsExactly(new Friend("alice", Friend.Relation.REQUEST_FROM, false));
            bob.social().friendAccept("alice");
            assertThat(alice.social().friends()).containsExactly(new Friend("bob", Friend.Relation.FRIEND, true));
            assertThat(alice.social().who()).containsExactly("bob");
            assertThat(alice.social().users("bo")).contains("bob");

            ChatReceipt receipt = alice.social().chat("bob", "lunch? \"at 12\"");
            assertThat(receipt.delivered()).isEqualTo(1);
            ChatMessage m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.id()).isEqualTo(receipt.id());
            assertThat(m.from()).isEqualTo("alice");
            assertThat(m.to()).isEqualTo("bob");
            assertThat(m.text()).isEqualTo("lunch? \"at 12\"");
            assertThat(bob.files().ls(null)).isEmpty();  // replies still flow after events
            bob.logout();
        }
        ChatReceipt stored = alice.social().chat("bob", "are you there?");
        assertThat(stored.delivered()).isZero();
        assertThat(stored.stored()).isEqualTo(1);

        // Kept messages arrive when a connection next listens.
        BlockingQueue<ChatMessage> later = new ArrayBlockingQueue<>(10);
        try (NetdiskClient bob = dev.netdisk.cli.client.TestConnections.connect(server, later::add)) {
            bob.login("bob", PASSWORD);
            assertThat(bob.social().unread()).containsExactly(new Unread("alice", 2, stored.id(), 0));
            assertThat(bob.social().listen(null).backlog()).isEqualTo(1);
            assertThat(later.poll(10, TimeUnit.SECONDS)).extracting(ChatMessage::text).isEqualTo("are you there?");
        }
        assertThat(alice.social().history("bob", 10, null)).extracting(ChatMessage::text)
                .containsExactly("lunch? \"at 12\"", "are you there?");
        assertThat(alice.social().history("bob", 10, stored.id())).extracting(ChatMessage::text).containsExactly("lunch? \"at 12\"");
        assertThatThrownBy(() -> alice.social().chat("nobody", "hi"))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));
    }

    @Test
    void withoutAListenerRepliesAreReadInlineAndEventsSkipped() throws Exception {
        try (NetdiskClient bob = loggedIn("bob")) {
            befriend(alice, bob);
            bob.social().listen(null);
            for (int i = 0; i < 10; i++) {  // within the chat burst of 20
                alice.social().chat("bob", "message " + i);  // events queue up on bob's connection, unread
            }
            // bob has no listener: each reply is read by the calling thread, the events before it skipped.
            assertThat(bob.files().ls(null)).isEmpty();
            // alice's connection does not listen: she is logged in, not online.
            assertThat(bob.social().friends()).containsExactly(new Friend("alice", Friend.Relation.FRIEND, false));
            BlockingQueue<ChatMessage> received = new ArrayBlockingQueue<>(10);
            bob.setEventListener(received::add);  // from now on a reader thread delivers them
            alice.social().chat("bob", "now you see me");
            assertThat(received.poll(10, TimeUnit.SECONDS)).extracting(ChatMessage::text).isEqualTo("now you see me");
            assertThat(bob.pwd()).isEqualTo("/");
        }
    }

    @Test
    void groups() throws Exception {
        BlockingQueue<ChatMessage> received = new ArrayBlockingQueue<>(10);
        try (NetdiskClient bob = loggedIn("bob")) {
            bob.setEventListener(received::add);
            bob.social().listen(null);
            assertThat(alice.social().group("CREATE", "team")).contains("#team");
            assertThat(alice.social().group("INVITE", "team", "bob")).isEqualTo("bob invited to #team");
            bob.social().group("JOIN", "#team");
            assertThat(alice.social().groups()).containsExactly(new Group("team", "alice", 2));
            assertThat(alice.social().groupMembers("team")).extracting(Group.Member::name).containsExactly("alice", "bob");
            alice.social().chat("#team", "stand-up in 5");
            ChatMessage m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m.isGroup()).isTrue();
            assertThat(m.to()).isEqualTo("#team");
            alice.social().groupKick("team", "bob");
            assertThat(bob.social().groups()).isEmpty();
        }
    }

    @Test
    void presenceEventsTellWhenAFriendComesAndGoes() throws Exception {
        BlockingQueue<String> presence = new ArrayBlockingQueue<>(10);
        alice.setEventListener(new EventListener() {
            @Override
            public void chat(ChatMessage message) {
            }

            @Override
            public void presence(String user, boolean online) {
                presence.add(user + (online ? " on" : " off"));
            }
        });
        alice.social().listen(null);
        try (NetdiskClient bob = loggedIn("bob")) {
            befriend(alice, bob);
            bob.social().listen(null);
            assertThat(presence.poll(10, TimeUnit.SECONDS)).isEqualTo("bob on");
        }
        assertThat(presence.poll(10, TimeUnit.SECONDS)).isEqualTo("bob off");
        try (NetdiskClient bob = connect()) {
            bob.login("bob", PASSWORD);
            assertThat(alice.social().who()).as("a login alone is not online").isEmpty();
            bob.social().listen(null);
            assertThat(presence.poll(10, TimeUnit.SECONDS)).isEqualTo("bob on");
        }
    }

    @Test
    void chatProceedsWhileATransferRuns() throws Exception {
        Path local = randomFile(tmp.resolve("big.bin"), 4 * 1024 * 1024, 12);
        BlockingQueue<ChatMessage> received = new ArrayBlockingQueue<>(10);
        try (NetdiskClient bob = loggedIn("bob")) {
            befriend(alice, bob);
            bob.setEventListener(received::add);
            bob.social().listen(null);
            java.util.concurrent.CountDownLatch chatted = new java.util.concurrent.CountDownLatch(1);
            alice.upload(local, "big.bin", TransferOptions.DEFAULTS, new TransferListener() {
                @Override
                public void progress(long position) {
                    if (chatted.getCount() > 0) {
                        try {
                            alice.social().chat("bob", "uploading");  // the control connection is free meanwhile
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        chatted.countDown();
                    }
                }
            });
            assertThat(chatted.getCount()).isZero();
            assertThat(received.poll(10, TimeUnit.SECONDS)).extracting(ChatMessage::text).isEqualTo("uploading");
        }
    }

    @Test
    void fileManagementTrashQuotaAndUsage() throws Exception {
        Path local = randomFile(tmp.resolve("a.bin"), 10_000, 20);
        alice.files().makedir("docs", false);
        alice.upload(local, "docs/", TransferOptions.DEFAULTS, null);
        alice.files().mv("docs/a.bin", "docs/b.bin");
        assertThat(alice.files().ls("docs")).extracting(Entry::name).containsExactly("b.bin");
        Usage copied = alice.files().copy("docs", "docs copy");
        assertThat(copied.size()).isEqualTo(10_000);
        assertThat(copied.files()).isEqualTo(1);
        Usage du = alice.files().du("/");
        assertThat(du.size()).isEqualTo(20_000);
        assertThat(du.path()).isEqualTo("/");
        assertThat(alice.files().quota().used()).isEqualTo(20_000);

        long id = alice.files().rm("docs/b.bin", false);
        assertThatThrownBy(() -> alice.files().rm("docs copy", false))
                .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));
        alice.files().rm("docs copy", true);
        alice.files().rmdir("docs");
        assertThat(alice.files().trash()).extracting(TrashItem::path).containsExactly("/docs/b.bin", "/docs copy", "/docs");
        assertThat(alice.files().quota().trash()).isEqualTo(20_000);
        assertThat(alice.files().trashRestore(id, "/restored.bin")).isEqualTo("/restored.bin");
        assertThat(alice.files().stat("restored.bin").md5()).isEqualTo(md5(local));
        assertThat(alice.files().trashEmpty()).isEqualTo(10_000);
        assertThat(alice.files().trash()).isEmpty();
    }

    @Test
    void sharingLinksAndFetch() throws Exception {
        Path local = randomFile(tmp.resolve("report 2026.pdf"), 300_000, 21);
        alice.files().makedir("docs", false);
        alice.upload(local, "docs/", TransferOptions.DEFAULTS, null);
        try (NetdiskClient bob = loggedIn("bob")) {
            befriend(alice, bob);
            assertThat(alice.sharing().share("docs", "bob")).contains("/shared/alice/docs");
            assertThat(alice.sharing().shares()).containsExactly(new Share(true, "bob", "/docs"));
            assertThat(bob.sharing().shares()).containsExactly(new Share(false, "alice", "/shared/alice/docs"));
            assertThat(bob.files().ls("/shared/alice/docs")).extracting(Entry::name).containsExactly("report 2026.pdf");
            Path viaShare = tmp.resolve("via share.pdf");
            bob.download("/shared/alice/docs/report 2026.pdf", viaShare, TransferOptions.DEFAULTS, null);
            assertThat(md5(viaShare)).isEqualTo(md5(local));
            alice.sharing().unshare("docs", null);
            assertThat(bob.sharing().shares()).isEmpty();

            Share.Link link = alice.sharing().link("docs/report 2026.pdf", "7d");
            assertThat(link.code()).matches("[a-z2-7]{16}");
            assertThat(link.expires()).isAfter(java.time.Instant.now());
            assertThat(alice.sharing().links()).extracting(Share.Link::code).containsExactly(link.code());
            Path dir = Files.createDirectories(tmp.resolve("fetched"));
            TransferResult r = bob.sharing().fetch(link.code(), dir, TransferOptions.DEFAULTS, null);
            assertThat(r.localPath()).isEqualTo(dir.resolve("report 2026.pdf"));
            assertThat(md5(r.localPath())).isEqualTo(md5(local));

            // A kept .part resumes a fetch too.
            Files.delete(r.localPath());
            Files.write(dir.resolve("report 2026.pdf.part"), java.util.Arrays.copyOf(Files.readAllBytes(local), 1000));
            assertThat(bob.sharing().fetch(link.code(), dir, TransferOptions.DEFAULTS, null).offset()).isEqualTo(1000);
            assertThat(md5(dir.resolve("report 2026.pdf"))).isEqualTo(md5(local));

            alice.sharing().unlink(link.code());
            assertThatThrownBy(() -> bob.sharing().fetch(link.code(), tmp.resolve("x"), TransferOptions.DEFAULTS, null))
                    .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.code()).isEqualTo(550));
        }
    }

    @Test
    void aClosedPortIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> NetdiskClient.connect("127.0.0.1", port))
                .isInstanceOf(NetdiskConnectionException.class).hasMessageContaining("cannot connect");
    }

    @Test
    void aStoppedServerIsAConnectionFailure() throws Exception {
        server.close();
        assertThatThrownBy(() -> alice.files().ls(null)).isInstanceOfAny(NetdiskConnectionException.class, ReplyException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !alice.isConnected());
        assertThatThrownBy(() -> alice.pwd()).isInstanceOf(NetdiskConnectionException.class);
    }
}
