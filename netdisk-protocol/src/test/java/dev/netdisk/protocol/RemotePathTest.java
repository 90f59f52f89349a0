package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemotePathTest {

    private static final RemotePath DOCS_2026 = path("/docs/2026");

    private static RemotePath path(String absolute) {
        try {
            return RemotePath.resolve(RemotePath.ROOT, absolute);
        } catch (BadPathException e) {
            throw new AssertionError(e);
        }
    }

    private static String resolve(RemotePath cwd, String input) throws BadPathException {
        return RemotePath.resolve(cwd, input).toString();
    }

    @Test
    void absolutePathsStartAtTheRootAndRelativeOnesAtTheWorkingDirectory() throws BadPathException {
        assertThat(resolve(DOCS_2026, "/a/b")).isEqualTo("/a/b");
        assertThat(resolve(DOCS_2026, "a/b")).isEqualTo("/docs/2026/a/b");
        assertThat(resolve(DOCS_2026, "")).isEqualTo("/docs/2026");
        assertThat(resolve(DOCS_2026, "/")).isEqualTo("/");
    }

    @Test
    void dotIsDroppedAndDotDotGoesUp() throws BadPathException {
        assertThat(resolve(DOCS_2026, ".")).isEqualTo("/docs/2026");
        assertThat(resolve(DOCS_2026, "./a/./b/.")).isEqualTo("/docs/2026/a/b");
        assertThat(resolve(DOCS_2026, "..")).isEqualTo("/docs");
        assertThat(resolve(DOCS_2026, "../..")).isEqualTo("/");
        assertThat(resolve(DOCS_2026, "../../x/../y")).isEqualTo("/y");
        assertThat(resolve(RemotePath.ROOT, "/a/..")).isEqualTo("/");
    }

    @Test
    void repeatedAndTrailingSlashesCountAsOne() throws BadPathException {
        assertThat(resolve(RemotePath.ROOT, "//a///b//")).isEqualTo("/a/b");
        assertThat(resolve(DOCS_2026, "a/")).isEqualTo("/docs/2026/a");
        assertThat(resolve(DOCS_2026, "///")).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "/..", "../../..", "/../..", "/a/../..", "a/../../../..", "../../../etc/passwd",
            "/docs/../../docs"})
    void climbingAboveTheRootIsRefused(String input) {
        assertThatThrownBy(() -> RemotePath.resolve(RemotePath.ROOT, input))
                .isInstanceOf(BadPathException.class)
                .hasMessageContaining("path escapes your root");
    }

    @Test
    void climbingAboveTheRootFromADeepWorkingDirectoryIsRefused() {
        assertThatThrownBy(() -> RemotePath.resolve(DOCS_2026, "../../.."))
                .isInstanceOf(BadPathException.class)
                .hasMessageContaining("path escapes your root");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\u0001b", "a\nb", "a\rb", "a\tb", "a\u001fb", "a\u0085b", "a\u009bb"})
    void namesWithControlCharactersAreRefused(String name) {
        assertThatThrownBy(() -> RemotePath.resolve(RemotePath.ROOT, "/dir/" + name))
                .isInstanceOf(BadPathException.class)
                .hasMessageContaining("invalid character in file name");
    }

    @Test
    void aNameMayHoldSpacesQuotesAndAnyOtherUnicode() throws BadPathException {
        assertThat(RemotePath.resolve(RemotePath.ROOT, "/report 2026 \"final\" \\ \u65e5\u672c \uD83D\uDE00").name())
                .isEqualTo("report 2026 \"final\" \\ \u65e5\u672c \uD83D\uDE00");
    }

    @Test
    void aNameOf255BytesIsAcceptedAnd256IsRefused() throws BadPathException {
        assertThat(RemotePath.resolve(RemotePath.ROOT, "x".repeat(255)).name()).hasSize(255);
        // 85 three-byte characters: 255 bytes
        assertThat(RemotePath.resolve(RemotePath.ROOT, "\u65e5".repeat(85)).name()).hasSize(85);

        assertThatThrownBy(() -> RemotePath.resolve(RemotePath.ROOT, "x".repeat(256)))
                .isInstanceOf(BadPathException.class)
                .hasMessageContaining("file name too long (max 255 bytes)");
        assertThatThrownBy(() -> RemotePath.resolve(RemotePath.ROOT, "x" + "\u65e5".repeat(85)))
                .isInstanceOf(BadPathException.class)
                .hasMessageContaining("file name too long");
    }

    @Test
    void aPathLongerThan4096BytesIsRefused() throws BadPathException {
        String longest = ("/" + "x".repeat(127)).repeat(32);
        assertThat(longest).hasSize(4096);
        assertThat(RemotePath.resolve(RemotePath.ROOT, longest).names()).hasSize(32);
        assertThatThrownBy(() -> RemotePath.resolve(RemotePath.ROOT, longest + "/"))
                .isInstanceOf(BadPathException.class)
                .hasMessageContaining("path too long");
    }

    @Test
    void namesAreStoredInNfc() throws BadPathException {
        String decomposed = "cafe\u0301";
        String composed = "caf\u00e9";
        RemotePath p = RemotePath.resolve(RemotePath.ROOT, "/" + decomposed + "/" + decomposed);
        assertThat(p.names()).containsExactly(composed, composed);
        assertThat(p).isEqualTo(RemotePath.resolve(RemotePath.ROOT, "/" + composed + "/" + composed));
    }

    @Test
    void theLimitIsCheckedOnTheNfcForm() throws BadPathException {
        // e + combining acute is 3 bytes; its NFC form U+00E9 is 2.
        String decomposed = "e\u0301".repeat(127) + "x";   // 3*127+1 = 382 bytes decomposed, 2*127+1 = 255 composed
        assertThat(RemotePath.resolve(RemotePath.ROOT, decomposed).name()).isEqualTo("\u00e9".repeat(127) + "x");
    }

    @Test
    void checkNameRefusesSlashDotAndDotDot() {
        assertThatThrownBy(() -> RemotePath.checkName("a/b", "a/b")).isInstanceOf(BadPathException.class);
        assertThatThrownBy(() -> RemotePath.checkName(".", ".")).isInstanceOf(BadPathException.class);
        assertThatThrownBy(() -> RemotePath.checkName("..", "..")).isInstanceOf(BadPathException.class);
        assertThatThrownBy(() -> RemotePath.checkName("", "")).isInstanceOf(BadPathException.class);
    }

    @Test
    void rootParentAndName() {
        assertThat(RemotePath.ROOT.isRoot()).isTrue();
        assertThat(RemotePath.ROOT.name()).isEqualTo("/");
        assertThat(RemotePath.ROOT.parent()).isEqualTo(RemotePath.ROOT);
        assertThat(DOCS_2026.parent()).hasToString("/docs");
        assertThat(DOCS_2026.name()).isEqualTo("2026");
        assertThat(DOCS_2026.child("a")).hasToString("/docs/2026/a");
    }

    /**
     * Characters that look like a slash or a dot are ordinary name characters: they never split a
     * path or climb a level, and they are kept as typed (NFC, not the compatibility form NFKC).
     */
    @ParameterizedTest
    @ValueSource(strings = {"a\uFF0Fb", "a\u2215b", "a\u2044b", "\uFF0E\uFF0E", "\u2024\u2024", "\u00B7\u00B7"})
    void lookAlikesOfSlashAndDotAreJustNames(String name) throws BadPathException {
        RemotePath p = RemotePath.resolve(RemotePath.ROOT, "/" + name);
        assertThat(p.names()).containsExactly(name);
        assertThat(RemotePath.resolve(DOCS_2026, name + "/..")).isEqualTo(DOCS_2026);
    }

    @Test
    void aDeepPathIsAcceptedUpToTheLengthLimitAndResolvesTheSameTwice() throws BadPathException {
        String deep = "/d".repeat(2048); // 4096 bytes, 2048 levels
        RemotePath p = RemotePath.resolve(RemotePath.ROOT, deep);
        assertThat(p.names()).hasSize(2048);
        assertThat(RemotePath.resolve(RemotePath.ROOT, p.toString())).isEqualTo(p);
        assertThatThrownBy(() -> RemotePath.resolve(RemotePath.ROOT, deep + "/d"))
                .isInstanceOf(BadPathException.class);
    }

    @Test
    void nfdAndNfcSpellingsOfANameAreTheSameName() throws BadPathException {
        RemotePath composed = RemotePath.resolve(RemotePath.ROOT, "/caf\u00e9");
        RemotePath decomposed = RemotePath.resolve(RemotePath.ROOT, "/cafe\u0301");
        assertThat(decomposed).isEqualTo(composed);
    }
}
