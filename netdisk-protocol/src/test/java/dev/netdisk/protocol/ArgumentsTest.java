package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {

    @Test
    void wordsAreSeparatedBySpacesAndTabs() throws ProtocolException {
        assertThat(Arguments.split("a  b\tc \t d")).containsExactly("a", "b", "c", "d");
        assertThat(Arguments.split("  ")).isEmpty();
        assertThat(Arguments.split("")).isEmpty();
    }

    @Test
    void aQuotedWordMayHoldSpacesQuotesAndBackslashes() throws ProtocolException {
        assertThat(Arguments.split("\"holiday photos\" 12"))
                .containsExactly("holiday photos", "12");
        assertThat(Arguments.split("\"a \\\"quoted\\\" name.txt\""))
                .containsExactly("a \"quoted\" name.txt");
        assertThat(Arguments.split("\"back\\\\slash\"")).containsExactly("back\\slash");
        assertThat(Arguments.split("\"tab\there\"")).containsExactly("tab\there");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() throws ProtocolException {
        assertThat(Arguments.split("\"\" x")).containsExactly("", "x");
    }

    @Test
    void nonAsciiIsKeptAsItIs() throws ProtocolException {
        assertThat(Arguments.split("caf\u00e9 \"\u65e5\u672c \u8a9e\"")).containsExactly("caf\u00e9", "\u65e5\u672c \u8a9e");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"unclosed",
            "\"ends in backslash\\",
            "\"bad \\n escape\"",
            "\"glued\"word",
            "wo\"rd",
            "a \"b\"\"c\""})
    void malformedQuotingIsAProtocolError(String text) {
        assertThatThrownBy(() -> Arguments.split(text))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void theErrorSaysWhatIsWrong() {
        assertThatThrownBy(() -> Arguments.split("\"open")).hasMessageContaining("unclosed quote");
        assertThatThrownBy(() -> Arguments.split("\"\\x\"")).hasMessageContaining("unknown escape \\x");
    }

    @Test
    void quoteLeavesPlainWordsAlone() {
        assertThat(Arguments.quote("notes.txt")).isEqualTo("notes.txt");
        assertThat(Arguments.quote("caf\u00e9")).isEqualTo("caf\u00e9");
    }

    @Test
    void quoteQuotesWhatNeedsIt() {
        assertThat(Arguments.quote("")).isEqualTo("\"\"");
        assertThat(Arguments.quote("a b")).isEqualTo("\"a b\"");
        assertThat(Arguments.quote("a\"b")).isEqualTo("\"a\\\"b\"");
        assertThat(Arguments.quote("a\\b")).isEqualTo("\"a\\\\b\"");
        assertThat(Arguments.forceQuote("/docs")).isEqualTo("\"/docs\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "two words", "tab\there", "\"", "\\", "\\\"", "a \"quoted\" name.txt",
            "ends with \\", "\"\"", "caf\u00e9 \u65e5\u672c", "  leading and trailing  "})
    void quoteAndForceQuoteRoundTrip(String value) throws ProtocolException {
        assertThat(Arguments.split(Arguments.quote(value))).containsExactly(value);
        assertThat(Arguments.split(Arguments.forceQuote(value))).containsExactly(value);
        assertThat(Arguments.split(Arguments.quote(value) + " " + Arguments.forceQuote(value) + " next"))
                .containsExactly(value, value, "next");
    }

    @Test
    void aPathStartingWithADashIsWrittenAsARelativePath() {
        assertThat(Arguments.path("-x")).isEqualTo("./-x");
        assertThat(Arguments.path("/-x")).isEqualTo("/-x");
        assertThat(Arguments.path("-my file")).isEqualTo("\"./-my file\"");
    }

    @Test
    void firstArgReadsTheQuotedPathOfPwdAndCdReplies() throws ProtocolException {
        assertThat(Arguments.firstArg("\"/docs/2026\" is the current directory")).isEqualTo("/docs/2026");
        assertThat(Arguments.firstArg("\"/holiday \\\"photos\\\"\" created")).isEqualTo("/holiday \"photos\"");
        assertThatThrownBy(() -> Arguments.firstArg("")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void controlCharactersCannotTravelInALine() {
        assertThatThrownBy(() -> Arguments.checkNoLineBreak("message", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message");
        Arguments.checkNoLineBreak("message", "tabs\tare fine");
    }
}
