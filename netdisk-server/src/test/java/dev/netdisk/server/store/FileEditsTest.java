package dev.netdisk.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.BadPathException;
import dev.netdisk.protocol.RemotePath;
import org.junit.jupiter.api.Test;

/** The path checks that decide, before any lookup, whether a move or copy would go into itself. */
class FileEditsTest {

    private static RemotePath p(String text) throws BadPathException {
        return RemotePath.resolve(RemotePath.ROOT, text);
    }

    @Test
    void withinMeansTheSamePathOrBelowIt() throws Exception {
        assertThat(FileEdits.within(p("/a"), p("/a"))).isTrue();
        assertThat(FileEdits.within(p("/a/b/c"), p("/a"))).isTrue();
        assertThat(FileEdits.within(p("/a"), p("/"))).isTrue();
        assertThat(FileEdits.within(p("/ab"), p("/a"))).isFalse();
        assertThat(FileEdits.within(p("/a"), p("/a/b"))).isFalse();
        assertThat(FileEdits.within(p("/b/a"), p("/a"))).isFalse();
    }

    @Test
    void theSharedViewIsReservedAndReadOnly() throws Exception {
        assertThat(FileTree.isSharedView(p("/shared"))).isTrue();
        assertThat(FileTree.isSharedView(p("/shared/alice/x"))).isTrue();
        assertThat(FileTree.isSharedView(p("/docs/shared"))).isFalse();
        assertThat(FileTree.isSharedView(p("/sharedx"))).isFalse();
        assertThat(FileTree.isSharedView(RemotePath.ROOT)).isFalse();
    }

    @Test
    void linkCodesAreSixteenBase32Characters() {
        String a = ShareLinks.newCode();
        assertThat(a).matches("[a-z2-7]{16}");
        assertThat(ShareLinks.newCode()).isNotEqualTo(a);
    }
}
