package dev.netdisk.server.store;

import static dev.netdisk.server.store.StoreFixture.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quotas on a real SQLite database: the running totals, the check, per-user limits and {@code du}. */
class QuotasTest {

    @TempDir
    Path dir;

    private StoreFixture f;
    private Quotas quotas;
    private User alice;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        quotas = new Quotas(f.db, 100);
        alice = f.user("alice");
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void usageCountsLiveFilesAndTrashAndAlwaysEqualsTheRecount() throws Exception {
        f.directory(alice, "/d");
        f.file(alice, "/d/a.txt", "0123456789");
        f.file(alice, "/b.txt", "01234");
        assertThat(quotas.usage(alice.id())).isEqualTo(new Quotas.Usage(15, 0, 100));
        new Trash(f.db, f.blobs, f.clock, Duration.ofDays(1)).remove(alice.id(), path("/d"), Trash.Mode.TREE);
        Quotas.Usage usage = quotas.usage(alice.id());
        assertThat(usage.trash()).isEqualTo(10);
        assertThat(usage.free()).isEqualTo(100 - usage.used());
        assertThat(quotas.recount(alice.id())).isEqualTo(usage);
    }

    @Test
    void theCheckRefusesWhatWouldNotFitAndAUserLimitOverridesTheDefault() throws Exception {
        f.file(alice, "/a.txt", "0123456789");
        quotas.check(alice.id(), "/b.bin", 90);
        assertThatThrownBy(() -> quotas.check(alice.id(), "/b.bin", 91))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("/b.bin");
        quotas.setLimit(alice.id(), OptionalLong.of(1_000));
        quotas.check(alice.id(), "/b.bin", 990);
        assertThat(quotas.usage(alice.id()).limit()).isEqualTo(1_000);
        quotas.setLimit(alice.id(), OptionalLong.empty());
        assertThat(quotas.usage(alice.id()).limit()).isEqualTo(100);
    }

    @Test
    void duTalliesATreeOrOneFile() throws Exception {
        f.directory(alice, "/d/e");
        f.file(alice, "/d/a.txt", "aaa");
        f.file(alice, "/d/e/b.txt", "bb");
        assertThat(quotas.du(alice.id(), path("/d"))).isEqualTo(new Quotas.Tally(5, 2, 2));
        assertThat(quotas.du(alice.id(), path("/d/a.txt"))).isEqualTo(new Quotas.Tally(3, 1, 0));
        assertThatThrownBy(() -> quotas.du(alice.id(), path("/missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
