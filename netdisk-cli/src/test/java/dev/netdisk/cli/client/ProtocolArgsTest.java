package dev.netdisk.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolArgsTest {

    @Test
    void plainArgumentsStayAsTheyAre() {
        assertThat(ProtocolArgs.quote("notes.txt")).isEqualTo("notes.txt");
        assertThat(ProtocolArgs.quote("/a/b-c_d.ü")).isEqualTo("/a/b-c_d.ü");
    }

    @Test
    void spacesQuotesAndBackslashesAreQuotedAndEscaped() {
        assertThat(ProtocolArgs.quote("holiday photos")).isEqualTo("\"holiday photos\"");
        assertThat(ProtocolArgs.quote("a \"quoted\" name.txt")).isEqualTo("\"a \\\"quoted\\\" name.txt\"");
        assertThat(ProtocolArgs.quote("back\\slash")).isEqualTo("\"back\\\\slash\"");
        assertThat(ProtocolArgs.quote("tab\there")).isEqualTo("\"tab\there\"");
        assertThat(ProtocolArgs.quote("")).isEqualTo("\"\"");
    }

    @Test
    void splitIsTheInverseOfQuote() {
        List<String> args = List.of("plain", "two words", "a \"q\" b", "x\\y", "", "end");
        StringBuilder line = new StringBuilder();
        for (String a : args) {
            line.append(ProtocolArgs.quote(a)).append("  ");
        }
        assertThat(ProtocolArgs.split(line.toString())).isEqualTo(args);
    }

    @Test
    void splitRejectsUnclosedQuotesAndUnknownEscapes() {
        assertThatThrownBy(() -> ProtocolArgs.split("\"open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtocolArgs.split("\"a\\nb\"")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathStartingWithADashIsWrittenAsARelativePath() {
        assertThat(ProtocolArgs.path("-x")).isEqualTo("./-x");
        assertThat(ProtocolArgs.path("/-x")).isEqualTo("/-x");
        assertThat(ProtocolArgs.path("-my file")).isEqualTo("\"./-my file\"");
    }

    @Test
    void firstArgReadsTheQuotedPathOfPwdAndCdReplies() {
        assertThat(ProtocolArgs.firstArg("\"/docs/2026\" is the current directory")).isEqualTo("/docs/2026");
        assertThat(ProtocolArgs.firstArg("\"/holiday \\\"photos\\\"\" created")).isEqualTo("/holiday \"photos\"");
    }

    @Test
    void controlCharactersCannotTravelInALine() {
        assertThatThrownBy(() -> ProtocolArgs.checkNoLineBreak("message", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message");
        ProtocolArgs.checkNoLineBreak("message", "tabs\tare fine");
    }
}
