package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.transfer.UploadCommits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Uploads that finish together are committed together (one transaction, shared fsync rounds), and
 * still each {@code 226} means that file is durable and visible, and one refusal in a group does
 * not fail the others.
 *
 * <p>To make the group certain rather than likely, the test holds the database's write lock (a
 * transaction of its own) until every upload has reached the committer: the committer's first
 * transaction waits for it (SQLite's busy timeout is 5 seconds) while the rest queue behind, then
 * the rest go in one transaction. Committed one by one, the same uploads would take 16.
 */
class GroupCommitTest extends ServerTestSupport {

    @Test
    void uploadsFinishingTogetherAreEachVisibleAtTheir226AndOneRefusalSparesTheRest() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        int count = 16;  // the default limit of transfers per user
        List<ProtocolClient> data = new ArrayList<>();
        List<Payload> payloads = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // The last two race for the same name without --overwrite: exactly one may win.
            String path = i >= count - 2 ? "dup.bin" : "f" + i + ".bin";
            Payload payload = Payload.random(i, 4096 + i);
            Reply ticket = uploadTicket(alice, path, payload);
            ProtocolClient d = openData(ticket.param("ticket"));
            data.add(d);
            payloads.add(payload);
            paths.add(path);
        }
        UploadCommits commits = server.commits();
        long transactionsBefore = commits.transactions();
        long handedBefore = commits.handedOver();
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + dataDir().resolve("netdisk.db"));
             Statement lock = writer.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            // Every byte goes out before any final reply is read, so the completions pile up together.
            for (int i = 0; i < count; i++) {
                data.get(i).sendBytes(payloads.get(i), 0, payloads.get(i).size());
            }
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(5))
                    .until(() -> commits.handedOver() - handedBefore == count);
            lock.execute("ROLLBACK");
        }
        int stored = 0;
        int refused = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            Reply done = data.get(i).reply();
            if (done.code() == 226) {
                stored++;
                bytes += payloads.get(i).size();
                assertThat(done.param("md5")).isEqualTo(payloads.get(i).md5());
                // Visible the moment the 226 is read.
                assertThat(alice.command("STAT " + paths.get(i)).text()).startsWith("f " + payloads.get(i).size() + " ");
            } else {
                assertThat(paths.get(i)).isEqualTo("dup.bin");
                assertThat(done).hasToString("521 already exists: /dup.bin (--overwrite to replace it)");
                refused++;
            }
            data.get(i).close();
        }
        assertThat(stored).isEqualTo(count - 1);
        assertThat(refused).isEqualTo(1);
        // The first transaction (whatever had reached the committer when it began) and one for the rest.
        assertThat(commits.transactions() - transactionsBefore).isBetween(1L, 2L);
        assertThat(alice.command("QUOTA").longParam("used")).isEqualTo(bytes);
        assertThat(ls(alice, "")).hasSize(count - 1);
    }
}
