package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.StoragePolicy;
import dev.netdisk.server.store.Quotas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RM, RMDIR, TRASH, MV/RENAME, COPY, QUOTA and DU over a raw socket (docs/PROTOCOL.md section 8). */
class FilesConversationTest extends ServerTestSupport {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private ProtocolClient alice;

    @BeforeEach
    void logIn() throws IOException {
        alice = loggedIn("alice");
    }

    // ---- RM, RMDIR and the trash ----

    @Test
    void rmMovesAFileToTheTrashAndRestorePutsItBack() throws IOException {
        Payload notes = Payload.of("hello world\n");
        alice.command("MAKEDIR docs");
        upload(alice, "docs/notes.txt", notes);

        Reply rm = alice.command("RM docs/notes.txt");
        assertThat(rm.code()).isEqualTo(250);
        assertThat(rm.text()).matches("trash=\\d+ moved \"/docs/notes.txt\" to the trash");
        long id = rm.longParam("trash");
        assertThat(ls(alice, "docs")).isEmpty();
        assertThat(alice.command("STAT docs/notes.txt").code()).isEqualTo(550);

        Reply list = alice.command("TRASH LIST");
        assertThat(list.code()).isEqualTo(211);
        assertThat(list.lines().get(0)).matches(id + " " + TIME + " f 12 /docs/notes.txt");
        assertThat(list.text()).isEqualTo("1 item in the trash (kept 30 days)");

        assertThat(alice.command("TRASH RESTORE " + id)).hasToString("250 restored \"/docs/notes.txt\"");
        assertThat(download(alice, "docs/notes.txt", 0)).isEqualTo(notes.md5());
        assertThat(alice.command("TRASH LIST")).hasToString("211 0 items in the trash (kept 30 days)");
    }

    @Test
    void aDirectoryNeedsDashRAndGoesWithEverythingInIt() throws IOException {
        alice.command("MAKEDIR -p a/b");
        upload(alice, "a/b/f.txt", Payload.of("12345"));
        assertThat(alice.command("RM a")).hasToString(
                "550 is a directory: /a (RM -r removes a directory and everything in it)");
        Reply rm = alice.command("RM -r a");
        assertThat(rm.code()).isEqualTo(250);
        assertThat(ls(alice, "")).isEmpty();
        assertThat(alice.command("TRASH LIST").lines().get(0)).matches("\\d+ " + TIME + " d 5 /a");

        alice.command("TRASH RESTORE " + rm.param("trash"));
        assertThat(alice.command("STAT a/b/f.txt").text()).startsWith("f 5 ");
    }

    @Test
    void rmdirTakesOnlyAnEmptyDirectory() throws IOException {
        alice.command("MAKEDIR -p full/sub");
        upload(alice, "f.txt", Payload.of("x"));
        assertThat(alice.command("RMDIR full")).hasToString("550 directory not empty: /full");
        assertThat(alice.command("RMDIR f.txt")).hasToString("550 not a directory: /f.txt");
        assertThat(alice.command("RMDIR full/sub").text()).matches("trash=\\d+ moved \"/full/sub\" to the trash");
        assertThat(alice.command("RMDIR full").code()).isEqualTo(250);
        assertThat(ls(alice, "")).singleElement().asString().endsWith(" f.txt");
    }

    @Test
    void rmRefusals() throws IOException {
        assertThat(alice.command("RM nothing")).hasToString("550 no such file or directory: /nothing");
        assertThat(alice.command("RM -r /")).hasToString("553 cannot remove the root: /");
        assertThat(alice.command("RM /..").code()).isEqualTo(553);
        assertThat(alice.command("RM").code()).isEqualTo(501);
        assertThat(alice.command("RM -x f").code()).isEqualTo(501);
    }

    @Test
    void aTrashedNameIsFreeAndRestoreThenNeedsAPath() throws IOException {
        Payload old = Payload.of("old");
        Payload fresh = Payload.of("new!");
        upload(alice, "f.txt", old);
        long id = alice.command("RM f.txt").longParam("trash");
        assertThat(upload(alice, "f.txt", fresh).code()).isEqualTo(226);

        assertThat(alice.command("TRASH RESTORE " + id)).hasToString(
                "521 already exists: /f.txt (TRASH RESTORE " + id + " path puts it elsewhere)");
        assertThat(alice.command("TRASH RESTORE " + id + " \"old f.txt\"")).hasToString("250 restored \"/old f.txt\"");
        assertThat(download(alice, "\"old f.txt\"", 0)).isEqualTo(old.md5());
        assertThat(download(alice, "f.txt", 0)).isEqualTo(fresh.md5());
    }

    @Test
    void restoreRecreatesMissingParents() throws IOException {
        alice.command("MAKEDIR -p a/b");
        upload(alice, "a/b/f.txt", Payload.of("x"));
        long file = alice.command("RM a/b/f.txt").longParam("trash");
        alice.command("RM -r a");
        assertThat(alice.command("TRASH RESTORE " + file)).hasToString("250 restored \"/a/b/f.txt\"");
        assertThat(alice.command("STAT a/b").text()).startsWith("d 0 ");
    }

    @Test
    void trashRefusals() throws IOException {
        assertThat(alice.command("TRASH RESTORE 999")).hasToString("550 no such trash item: 999");
        assertThat(alice.command("TRASH RESTORE x").code()).isEqualTo(501);
        assertThat(alice.command("TRASH FOO").code()).isEqualTo(501);
        assertThat(alice.command("TRASH").code()).isEqualTo(501);
        ProtocolClient bob = loggedIn("bob");
        upload(alice, "f.txt", Payload.of("x"));
        long id = alice.command("RM f.txt").longParam("trash");
        assertThat(bob.command("TRASH RESTORE " + id)).hasToString("550 no such trash item: " + id);
        assertThat(bob.command("TRASH LIST").text()).startsWith("0 items");
    }

    @Test
    void emptyingTheTrashReclaimsBytesOnlyWhenNothingElseRefersToThem() throws Exception {
        Payload bytes = Payload.of("shared bytes");
        upload(alice, "a.txt", bytes);
        alice.command("COPY a.txt b.txt");
        assertThat(storedBlobs()).hasSize(1);

        alice.command("RM a.txt");
        assertThat(alice.command("QUOTA").longParam("used")).isEqualTo(24);
        assertThat(alice.command("TRASH EMPTY")).hasToString("250 items=1 bytes=12 trash emptied");
        assertThat(storedBlobs()).hasSize(1);
        assertThat(download(alice, "b.txt", 0)).isEqualTo(bytes.md5());
        assertThat(alice.command("QUOTA").longParam("used")).isEqualTo(12);

        alice.command("RM b.txt");
        assertThat(storedBlobs()).hasSize(1);
        alice.command("TRASH EMPTY");
        assertThat(storedBlobs()).isEmpty();
        assertThat(alice.command("QUOTA").longParam("used")).isZero();
    }

    @Test
    void itemsOlderThanTheTrashAgeAreRemovedForGood() throws Exception {
        upload(alice, "f.txt", Payload.of("expiring"));
        alice.command("RM f.txt");
        alice.close();
        server.close();
        server = NetdiskServer.start(config().withStorage(new StoragePolicy(StoragePolicy.DEFAULT_QUOTA_BYTES,
                Duration.ofMillis(1))));

        ProtocolClient again = loggedIn("alice");
        assertThat(again.command("TRASH LIST").text()).startsWith("0 items");
        // The start-up sweep runs on a worker: wait for it to give the blob back.
        await().atMost(Duration.ofSeconds(10)).until(() -> storedBlobs().isEmpty());
        assertThat(again.command("QUOTA").longParam("used")).isZero();
    }

    @Test
    void aRestartKeepsTheBytesOfTrashedFiles() throws Exception {
        Payload bytes = Payload.of("still referenced");
        upload(alice, "f.txt", bytes);
        long id = alice.command("RM f.txt").longParam("trash");
        alice.close();
        server.close();
        server = NetdiskServer.start(config());

        ProtocolClient again = loggedIn("alice");
        assertThat(storedBlobs()).hasSize(1);
        again.command("TRASH RESTORE " + id);
        assertThat(download(again, "f.txt", 0)).isEqualTo(bytes.md5());
    }

    // ---- MV / RENAME ----

    @Test
    void mvRenamesAndMovesFilesAndDirectories() throws IOException {
        Payload bytes = Payload.of("content");
        alice.command("MAKEDIR -p a/b");
        alice.command("MAKEDIR c");
        upload(alice, "a/b/f.txt", bytes);

        assertThat(alice.command("MV a/b/f.txt a/b/g.txt")).hasToString("250 moved \"/a/b/f.txt\" to \"/a/b/g.txt\"");
        assertThat(alice.command("RENAME a/b/g.txt /c/h.txt").code()).isEqualTo(250);
        assertThat(alice.command("MV a/b c/b").code()).isEqualTo(250);
        assertThat(ls(alice, "a")).isEmpty();
        assertThat(ls(alice, "c")).hasSize(2);
        assertThat(download(alice, "c/h.txt", 0)).isEqualTo(bytes.md5());
        alice.command("CD c");
        assertThat(alice.command("MV h.txt ../h.txt").code()).isEqualTo(250);
        assertThat(alice.command("STAT /h.txt").code()).isEqualTo(213);
    }

    @Test
    void mvRefusals() throws IOException {
        alice.command("MAKEDIR -p a/b");
        alice.command("MAKEDIR z");
        upload(alice, "f.txt", Payload.of("x"));
        assertThat(alice.command("MV a a/b/a")).hasToString("550 cannot move /a into itself: /a/b/a");
        assertThat(alice.command("MV a a")).hasToString("521 already exists: /a");
        assertThat(alice.command("MV f.txt z")).hasToString("521 already exists: /z");
        assertThat(alice.command("MV a/b z")).hasToString("521 already exists: /z");
        assertThat(alice.command("MV nothing x")).hasToString("550 no such file or directory: /nothing");
        assertThat(alice.command("MV f.txt nowhere/f.txt")).hasToString("550 no such directory: /nowhere");
        assertThat(alice.command("MV a f.txt/g")).hasToString("550 no such directory: /f.txt");
        assertThat(alice.command("MV / x")).hasToString("553 cannot move the root: /");
        assertThat(alice.command("MV f.txt /..").code()).isEqualTo(553);
        assertThat(alice.command("MV f.txt").code()).isEqualTo(501);
        assertThat(ls(alice, "")).hasSize(3);
    }

    @Test
    void aDownloadRunningDuringARenameCompletesWithTheOriginalBytes() throws Exception {
        Payload original = Payload.random(7, 8 << 20);
        upload(alice, "big.bin", original);
        Reply ticket = alice.command("DOWNLOAD big.bin");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
            MessageDigest md5 = Payload.newMd5();
            data.readBytes(1 << 20, md5);

            assertThat(alice.command("MV big.bin renamed.bin").code()).isEqualTo(250);
            // Even a new file under the old name, and the renamed one trashed, change nothing underway.
            upload(alice, "big.bin", Payload.of("other"));
            alice.command("RM renamed.bin");

            data.readBytes(original.size() - (1 << 20), md5);
            assertThat(data.reply().code()).isEqualTo(226);
            assertThat(Md5.hex(md5)).isEqualTo(original.md5());
        }
    }

    // ---- COPY ----

    @Test
    void copySharesTheBytesOnDisk() throws Exception {
        Payload bytes = Payload.random(3, 100_000);
        upload(alice, "a.bin", bytes);
        Reply copy = alice.command("COPY a.bin b.bin");
        assertThat(copy).hasToString("250 size=100000 files=1 dirs=0 copied \"/a.bin\" to \"/b.bin\"");
        assertThat(blobFiles()).hasSize(1);
        assertThat(download(alice, "b.bin", 0)).isEqualTo(bytes.md5());
        assertThat(alice.command("QUOTA").longParam("used")).isEqualTo(200_000);
    }

    @Test
    void aSmallFileIsKeptInTheDatabaseAndABigOneInABlobFile() throws Exception {
        Payload small = Payload.random(7, ProtocolLimits.SMALL_FILE_BYTES);
        Payload big = Payload.random(8, ProtocolLimits.SMALL_FILE_BYTES + 1);
        upload(alice, "small.bin", small);
        assertThat(inlineBlobs()).hasSize(1);
        assertThat(blobFiles()).isEmpty();
        upload(alice, "big.bin", big);
        assertThat(inlineBlobs()).hasSize(1);
        assertThat(blobFiles()).hasSize(1);
        // Nothing of either is left among the kept uploads.
        assertThat(Files.list(dataDir().resolve("partial")).count()).isZero();
        assertThat(alice.command("UPLOAD again.bin 10 -").text()).contains("offset=0");

        assertThat(download(alice, "small.bin", 0)).isEqualTo(small.md5());
        assertThat(download(alice, "big.bin", 0)).isEqualTo(big.md5());
        // From an offset, as a client resuming its own partial file asks.
        assertThat(alice.command("DOWNLOAD small.bin 65000").text()).contains("offset=65000 size=65536");

        // A small file overwritten by a big one (and back) keeps one copy of the bytes, in the right place.
        assertThat(upload(alice, "small.bin", big, "--overwrite").code()).isEqualTo(226);
        assertThat(inlineBlobs()).isEmpty();
        assertThat(blobFiles()).hasSize(2);
        assertThat(download(alice, "small.bin", 0)).isEqualTo(big.md5());
    }

    @Test
    void overwritingOneCopyKeepsTheOthersBytes() throws Exception {
        Payload first = Payload.of("first version");
        Payload second = Payload.of("second version");
        upload(alice, "a.txt", first);
        alice.command("COPY a.txt b.txt");
        assertThat(upload(alice, "a.txt", second, "--overwrite").code()).isEqualTo(226);
        assertThat(storedBlobs()).hasSize(2);
        assertThat(download(alice, "b.txt", 0)).isEqualTo(first.md5());
        assertThat(upload(alice, "b.txt", second, "--overwrite").code()).isEqualTo(226);
        assertThat(storedBlobs()).hasSize(2); // first's blob went; each upload has its own blob
        assertThat(download(alice, "a.txt", 0)).isEqualTo(second.md5());
    }

    @Test
    void copyOfADirectoryCopiesTheTree() throws IOException {
        alice.command("MAKEDIR -p src/sub/deeper");
        upload(alice, "src/one.txt", Payload.of("1"));
        upload(alice, "src/sub/two.txt", Payload.of("22"));
        upload(alice, "src/sub/deeper/three.txt", Payload.of("333"));
        assertThat(alice.command("COPY src dst").text()).isEqualTo("size=6 files=3 dirs=3 copied \"/src\" to \"/dst\"");
        assertThat(alice.command("DU dst")).hasToString("213 size=6 files=3 dirs=3 /dst");
        assertThat(alice.command("STAT dst/sub/deeper/three.txt").text()).startsWith("f 3 ");
        // The copy is independent: removing from it leaves the original whole.
        alice.command("RM -r dst/sub");
        assertThat(alice.command("DU src").text()).startsWith("size=6 files=3 dirs=3");
    }

    @Test
    void copyRefusals() throws IOException {
        alice.command("MAKEDIR -p a/b");
        upload(alice, "f.txt", Payload.of("x"));
        assertThat(alice.command("COPY a a/b/c")).hasToString("550 cannot copy /a into itself: /a/b/c");
        assertThat(alice.command("COPY f.txt a")).hasToString("521 already exists: /a");
        assertThat(alice.command("COPY nothing x")).hasToString("550 no such file or directory: /nothing");
        assertThat(alice.command("COPY f.txt no/where")).hasToString("550 no such directory: /no");
        assertThat(alice.command("COPY / x")).hasToString("553 cannot copy the root: /");
        assertThat(alice.command("COPY f.txt").code()).isEqualTo(501);
    }

    // ---- QUOTA and DU ----

    @Test
    void quotaShowsUsageTrashIncludedAndTheDefaultLimit() throws IOException {
        assertThat(alice.command("QUOTA")).hasToString("211 used=0 trash=0 limit=10737418240 free=10737418240"
                + " files=0 uploads=0 chat=0 chat-limit=67108864 entries=1 max-entries=1000000"
                + " 0 bytes of 10.0 GiB used, trash and unfinished uploads included");
        upload(alice, "a.txt", Payload.of("12345"));
        upload(alice, "b.txt", Payload.of("123"));
        alice.command("RM b.txt");
        Reply quota = alice.command("QUOTA");
        assertThat(quota.longParam("used")).isEqualTo(8);
        assertThat(quota.longParam("trash")).isEqualTo(3);
    }

    @Test
    void anUploadThatDoesNotFitIs552BeforeAnyByteMoves() throws Exception {
        setQuota("alice", 100);
        upload(alice, "a.bin", Payload.random(1, 60));
        Payload tooBig = Payload.random(2, 50);
        Reply refused = alice.command("UPLOAD b.bin 50 " + tooBig.md5());
        assertThat(refused).hasToString("552 quota exceeded: 50 bytes needed, 40 of 100 bytes free: /b.bin");
        assertThat(Files.list(dataDir().resolve("partial")).count()).isZero();

        // An overwrite needs only the difference; the trash still counts.
        assertThat(upload(alice, "a.bin", Payload.random(3, 100), "--overwrite").code()).isEqualTo(226);
        alice.command("RM a.bin");
        assertThat(alice.command("UPLOAD c.bin 1 " + Payload.random(4, 1).md5()).code()).isEqualTo(552);
        alice.command("TRASH EMPTY");
        assertThat(uploadTicket(alice, "c.bin", Payload.random(4, 1)).code()).isEqualTo(350);
    }

    @Test
    void aCopyThatDoesNotFitIs552() throws Exception {
        setQuota("alice", 100);
        upload(alice, "a.bin", Payload.random(1, 60));
        assertThat(alice.command("COPY a.bin b.bin")).hasToString(
                "552 quota exceeded: 60 bytes needed, 40 of 100 bytes free: /b.bin");
        assertThat(ls(alice, "")).hasSize(1);
        assertThat(alice.command("QUOTA").text()).startsWith("used=60 trash=0 limit=100 free=40 ");
    }

    @Test
    void duGivesATreesTotal() throws IOException {
        alice.command("MAKEDIR -p a/b");
        upload(alice, "a/x", Payload.of("1234"));
        upload(alice, "a/b/y", Payload.of("56"));
        assertThat(alice.command("DU a")).hasToString("213 size=6 files=2 dirs=2 /a");
        assertThat(alice.command("DU a/x")).hasToString("213 size=4 files=1 dirs=0 /a/x");
        assertThat(alice.command("DU")).hasToString("213 size=6 files=2 dirs=3 trash=0 uploads=0 /");
        assertThat(alice.command("DU nothing")).hasToString("550 no such file or directory: /nothing");
        assertThat(alice.command("DU a b").code()).isEqualTo(501);
    }

    @Test
    void theNewCommandsNeedALogin() throws IOException {
        ProtocolClient anonymous = connect();
        for (String line : List.of("RM x", "RMDIR x", "MV a b", "RENAME a b", "COPY a b", "TRASH LIST", "QUOTA", "DU",
                "SHARE LIST", "UNSHARE x", "FETCH abcdefghijkl")) {
            assertThat(anonymous.command(line).code()).as(line).isEqualTo(530);
        }
    }

    private void setQuota(String user, long bytes) throws Exception {
        long id = server.users().find(user).orElseThrow().id();
        new Quotas(server.database(), 0).setLimit(id, OptionalLong.of(bytes));
    }

    /** Every stored blob's id: the blob files, and the small files' contents kept in the database. */
    private List<String> storedBlobs() throws Exception {
        List<String> out = new ArrayList<>();
        for (Path file : blobFiles()) {
            out.add(file.getFileName().toString());
        }
        out.addAll(inlineBlobs());
        return out;
    }

    private List<String> inlineBlobs() throws Exception {
        return server.database().read(c -> {
            List<String> ids = new ArrayList<>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT blob_id FROM inline_blobs")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
