package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"don't forget", "ok, will do; makedir /x", "path is C:\\temp \"quoted\"", "a\nb",
            "\\n is not a line break", "ends with \\", "\\\\", "tab\there", "# not a comment", "\n\n"})
    void roundTrips(String message) {
        String wire = ChatText.escape(message);
        assertThat(wire).doesNotContain("\n");
        assertThat(ChatText.unescape(wire)).isEqualTo(message);
    }

    @Test
    void wireFormIsSpecified() {
        assertThat(ChatText.escape("a\nb\\c")).isEqualTo("a\\nb\\\\c");
        assertThat(ChatText.escape("a\r\nb\rc")).isEqualTo("a\\nb\\nc");
    }

    @Test
    void handTypedBackslashesStandForThemselves() {
        assertThat(ChatText.unescape("C:\\temp and \\x")).isEqualTo("C:\\temp and \\x");
        assertThat(ChatText.unescape("trailing \\")).isEqualTo("trailing \\");
    }

    @Test
    void otherControlCharactersAreRefused() {
        assertThatThrownBy(() -> ChatText.escape("bell\u0007")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0007");
        assertThatThrownBy(() -> ChatText.escape("esc\u001b[31m")).hasMessageContaining("U+001B");
    }
}
