package dev.netdisk.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteGlobTest {

    @Test
    void patternsAndLiterals() {
        assertThat(RemoteGlob.isPattern("a*.txt")).isTrue();
        assertThat(RemoteGlob.isPattern("a?")).isTrue();
        assertThat(RemoteGlob.isPattern("[ab]")).isTrue();
        assertThat(RemoteGlob.isPattern("a[b")).as("an unclosed [ is literal").isFalse();
        assertThat(RemoteGlob.isPattern("a\\*")).isFalse();
        assertThat(RemoteGlob.isPattern("plain name")).isFalse();
        assertThat(RemoteGlob.literal("a\\*\\[1\\]\\\\b")).isEqualTo("a*[1]\\b");
        assertThat(RemoteGlob.literal("c:\\dir")).as("other backslashes stay").isEqualTo("c:\\dir");
    }

    @Test
    void regexes() {
        assertThat(RemoteGlob.regex("*.txt").matcher("résumé.txt").matches()).isTrue();
        assertThat(RemoteGlob.regex("*.txt").matcher(".hidden.txt").matches()).isFalse();
        assertThat(RemoteGlob.regex("?.jpg").matcher("é.jpg").matches()).isTrue();
        assertThat(RemoteGlob.regex("[a-c]x").matcher("bx").matches()).isTrue();
        assertThat(RemoteGlob.regex("[!a-c]x").matcher("bx").matches()).isFalse();
        assertThat(RemoteGlob.regex("[]d]").matcher("]").matches()).isTrue();
        assertThat(RemoteGlob.regex("[\\d]").matcher("d").matches()).isTrue();
        assertThat(RemoteGlob.regex("[\\d]").matcher("5").matches()).isFalse();
        assertThat(RemoteGlob.regex("a (1).+").matcher("a (1).+").matches()).isTrue();
    }
}
