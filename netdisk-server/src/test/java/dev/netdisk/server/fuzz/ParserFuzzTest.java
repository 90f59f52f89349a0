package dev.netdisk.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.BadPathException;
import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.ProtocolException;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.RobustnessTally;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzzing (Jazzer) of the three parsers every client byte goes through: the line
 * decoder, the argument splitter and the path resolver. Each checks properties, not examples.
 *
 * <p>Under {@code mvn test} each runs its stored inputs (src/test/resources/.../*Inputs) and a few
 * generated ones, quickly. To fuzz for real: {@code JAZZER_FUZZ=1 mvn -pl netdisk-server test
 * -Dtest=ParserFuzzTest}, which runs each for its {@code maxDuration} and saves any crashing input
 * there for the regression run.
 */
@ExtendWith(RobustnessTally.class)
class ParserFuzzTest {

    private static final int MAX_LINE = 64;

    /** Whatever bytes arrive, in whatever pieces, the decoder yields only legal lines or refusals. */
    @FuzzTest(maxDuration = "30s")
    void lineDecoderYieldsOnlyLegalLines(FuzzedDataProvider data) {
        RobustnessTally.tried(ParserFuzzTest.class, "parser inputs", 1);
        LineDecoder decoder = new LineDecoder(MAX_LINE);
        byte[] all = data.consumeRemainingAsBytes();
        int position = 0;
        int pieces = 0;
        while (position < all.length) {
            int size = Math.min(all.length - position, 1 + (all[position] & 0x0f));
            ByteBuffer piece = ByteBuffer.wrap(all, position, size);
            LineDecoder.Item item;
            while ((item = decoder.next(piece)) != null) {
                if (item instanceof LineDecoder.Line line) {
                    String text = line.text();
                    assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX_LINE);
                    assertThat(text.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0)).isTrue();
                } else {
                    assertThat(((LineDecoder.Invalid) item).message()).isNotBlank();
                }
            }
            position += size;
            pieces++;
        }
        assertThat(pieces).isLessThanOrEqualTo(all.length);
    }

    /** Splitting either fails with 501 or gives words that quoting and splitting again reproduce. */
    @FuzzTest(maxDuration = "30s")
    void argumentsRoundTripThroughQuoting(FuzzedDataProvider data) {
        RobustnessTally.tried(ParserFuzzTest.class, "parser inputs", 1);
        String text = data.consumeRemainingAsString();
        List<String> words;
        try {
            words = Request.parse("VERB " + text).args();
        } catch (CommandException e) {
            assertThat(e.code()).isEqualTo(ReplyCode.ARGUMENT_ERROR);
            return;
        }
        StringBuilder requoted = new StringBuilder();
        for (String word : words) {
            requoted.append(Arguments.quote(word)).append(' ');
        }
        try {
            assertThat(Arguments.split(requoted.toString())).isEqualTo(words);
        } catch (ProtocolException e) {
            throw new AssertionError("quoted words did not split again: " + requoted, e);
        }
    }

    /** A resolved path is always inside the root, made of legal names, and resolves to itself. */
    @FuzzTest(maxDuration = "30s")
    void pathsNeverEscapeTheRoot(FuzzedDataProvider data) {
        RobustnessTally.tried(ParserFuzzTest.class, "parser inputs", 1);
        String cwdText = data.consumeString(64);
        String input = data.consumeRemainingAsString();
        RemotePath cwd;
        try {
            cwd = RemotePath.resolve(RemotePath.ROOT, "/" + cwdText);
        } catch (BadPathException e) {
            cwd = RemotePath.ROOT;
        }
        RemotePath resolved;
        try {
            resolved = RemotePath.resolve(cwd, input);
        } catch (BadPathException e) {
            assertThat(e.getReason()).isNotBlank();
            return;
        }
        for (String name : resolved.names()) {
            assertThat(name).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("/");
            assertThat(name.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))).isTrue();
        }
        try {
            assertThat(RemotePath.resolve(RemotePath.ROOT, resolved.toString())).isEqualTo(resolved);
        } catch (BadPathException e) {
            throw new AssertionError("a resolved path did not resolve again: " + resolved, e);
        }
    }
}
