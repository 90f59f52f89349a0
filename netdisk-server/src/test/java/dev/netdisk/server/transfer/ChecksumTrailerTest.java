package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code MD5 <md5>} line after a deferred upload's bytes: every form PROTOCOL.md section 6 names. */
class ChecksumTrailerTest {

    private static final String MD5 = "6f5902ac237024bdd0c176cb93063dc4";
    private static final String KEPT = "the bytes are kept for resume";

    @Test
    void aGoodLineGivesTheMd5InLowerCaseWhateverTheCaseAndLineEnd() {
        assertThat(taken("MD5 " + MD5 + "\n").md5()).isEqualTo(MD5);
        assertThat(taken("md5 " + MD5.toUpperCase() + "\r\n").md5()).isEqualTo(MD5);
    }

    @Test
    void theLineMayArriveInPiecesAndNothingAfterItIsTaken() {
        ChecksumTrailer trailer = new ChecksumTrailer(KEPT);
        trailer.take(bytes("MD5 6f5902ac"));
        assertThat(trailer.pending()).isTrue();
        ByteBuffer rest = bytes("237024bdd0c176cb93063dc4\nNOOP\n");
        trailer.take(rest);
        assertThat(trailer.md5()).isEqualTo(MD5);
        assertThat(trailer.problem()).isNull();
        assertThat(trailer.pending()).isFalse();
    }

    @Test
    void aLineThatIsNotMd5AndHexIsRefusedAndQuotedPrintably() {
        ChecksumTrailer trailer = taken("SHA1 abc\u0001\n");
        assertThat(trailer.md5()).isNull();
        assertThat(trailer.problem()).hasToString(
                "501 bad checksum trailer: expected MD5 <32 hex digits>, got \"SHA1 abc?\"; " + KEPT);
        assertThat(taken("MD5 " + MD5.substring(1) + "\n").problem().toString()).startsWith("501 bad checksum trailer");
    }

    @Test
    void noLineEndWithin128BytesIsRefused() {
        ChecksumTrailer trailer = taken("MD5 " + "0".repeat(200));
        assertThat(trailer.problem()).hasToString("501 bad checksum trailer: no line end within 128 bytes after the"
                + " bytes; expected MD5 <md5>; " + KEPT);
    }

    @Test
    void theEndOfTheStreamBeforeTheLineEndIsAMissingTrailer() {
        ChecksumTrailer trailer = taken("MD5 " + MD5);
        assertThat(trailer.pending()).isTrue();
        trailer.end();
        assertThat(trailer.problem()).hasToString("501 missing checksum trailer: the connection ended after the"
                + " bytes without the line MD5 <md5>; " + KEPT);
    }

    @Test
    void nothingPastTheLineEndIsTaken() {
        ChecksumTrailer trailer = new ChecksumTrailer(KEPT);
        ByteBuffer stream = bytes("MD5 " + MD5 + "\nUPLOAD /next 0 -\n");
        trailer.take(stream);
        assertThat(trailer.md5()).isEqualTo(MD5);
        assertThat(StandardCharsets.UTF_8.decode(stream).toString()).isEqualTo("UPLOAD /next 0 -\n");
    }

    private static ChecksumTrailer taken(String text) {
        ChecksumTrailer trailer = new ChecksumTrailer(KEPT);
        trailer.take(bytes(text));
        return trailer;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
