package dev.netdisk.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.RemotePath;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryTest {

    @Test
    void aFileLineWithSpacesInTheName() {
        Entry e = Entry.parse("f 1048576 2026-11-21T13:50:00.123Z 6F5902AC237024BDD0C176CB93063DC4 report  2026.pdf");
        assertThat(e.type()).isEqualTo(Entry.Type.FILE);
        assertThat(e.size()).isEqualTo(1_048_576L);
        assertThat(e.mtime()).isEqualTo(Instant.parse("2026-11-21T13:50:00.123Z"));
        assertThat(e.md5()).isEqualTo("6f5902ac237024bdd0c176cb93063dc4");
        assertThat(e.name()).isEqualTo("report  2026.pdf");
        assertThat(e.isDirectory()).isFalse();
    }

    @Test
    void aDirectoryLineHasNoMd5() {
        Entry e = Entry.parse("d 0 2026-11-21T13:49:12.004Z - holiday photos");
        assertThat(e.isDirectory()).isTrue();
        assertThat(e.md5()).isNull();
        assertThat(e.name()).isEqualTo("holiday photos");
        assertThat(e.toLine()).isEqualTo("d 0 2026-11-21T13:49:12.004Z - holiday photos");
    }

    @Test
    void timestampsParseLikeInstantParse() {
        for (String t : new String[] {"1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:34:56.789Z",
                "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2026-11-21T13:50:00Z", "2026-11-21T13:50:00.123456Z"}) {
            assertThat(Entry.parse("d 0 " + t + " - a").mtime()).as(t).isEqualTo(Instant.parse(t));
        }
        for (String bad : new String[] {"2026-13-01T00:00:00.000Z", "2026-02-30T00:00:00.000Z", "2026-11-21T25:00:00.000Z",
                "2026-11-21T13:60:00.000Z", "2026-11-21T13:50:00.12xZ", "2026-11-21 13:50:00.123Z"}) {
            assertThatThrownBy(() -> Entry.parse("d 0 " + bad + " - a")).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theRootIsNamedSlash() {
        assertThat(Entry.parse("d 0 2026-11-21T13:49:12.004Z - /").name()).isEqualTo("/");
    }

    @Test
    void malformedLinesAreRejected() {
        assertThatThrownBy(() -> Entry.parse("x 0 2026-11-21T13:49:12.004Z - a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.parse("f big 2026-11-21T13:49:12.004Z - a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.parse("f 1 yesterday - a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.parse("f 1 2026-11-21T13:49:12.004Z -")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void remotePathHelpers() {
        assertThat(RemotePath.basename("/a/b.txt")).isEqualTo("b.txt");
        assertThat(RemotePath.basename("/a/dir/")).isEqualTo("dir");
        assertThat(RemotePath.basename("/")).isEmpty();
        assertThat(RemotePath.join("/", "a")).isEqualTo("/a");
        assertThat(RemotePath.join("/x", "a")).isEqualTo("/x/a");
        assertThat(RemotePath.splitLast("docs/ph")).containsExactly("docs/", "ph");
        assertThat(RemotePath.splitLast("ph")).containsExactly("", "ph");
    }
}
