package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A data connection's answers: written in the order named whatever order they are known in, and its flow control. */
class DataAnswersTest {

    private static final String MD5 = "6f5902ac237024bdd0c176cb93063dc4";

    private final DataAnswers answers = new DataAnswers();

    @Test
    void answersGoOutInTheOrderNamedOnceTheFirstIsKnown() {
        DataItem a = upload("/a", 3);
        DataItem b = download("/b");
        answers.add(a);
        answers.add(b);
        answers.settle(b, Reply.of(ReplyCode.FILE_STATUS_OK, "size=2 md5=" + MD5 + " sending /b"), new Body.Bytes("hi".getBytes(), 0));
        assertThat(answers.takeReady(null).bytes()).as("a is not known yet").isNull();
        answers.settle(a, Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=3 md5=" + MD5 + " stored /a"), null);
        assertThat(text(answers.takeReady(null))).isEqualTo(
                "226 size=3 md5=" + MD5 + " stored /a\n150 size=2 md5=" + MD5 + " sending /b\nhi");
        assertThat(answers.isEmpty()).isTrue();
        assertThat(answers.summary()).isEqualTo("1 stored, 1 sent, 0 refused");
    }

    @Test
    void anUploadRefusedByItsLineIsNotAnsweredBeforeItsBytesAreIn() {
        DataItem refused = DataItem.upload(null, 10, null, false, 0, Reply.of(ReplyCode.ARGUMENT_ERROR, "no"));
        answers.add(refused);
        assertThat(answers.takeReady(refused).bytes()).isNull();
        assertThat(text(answers.takeReady(null))).isEqualTo("501 no\n");
        assertThat(answers.summary()).isEqualTo("0 stored, 0 sent, 1 refused");
    }

    @Test
    void theBatchIsFullPastItsItemsOrItsBytesOrWhileAnswersWait() {
        for (int i = 0; i < DataAnswers.MAX_PENDING_FILES - 1; i++) {
            answers.add(upload("/f" + i, 0));
        }
        assertThat(answers.full()).isFalse();
        answers.add(upload("/last", 0));
        assertThat(answers.full()).isTrue();

        DataAnswers bytes = new DataAnswers();
        long perFile = ProtocolLimits.SMALL_FILE_BYTES;
        for (long held = 0; held < DataAnswers.MAX_PENDING_BYTES; held += perFile) {
            assertThat(bytes.full()).isFalse();
            bytes.add(download("/d")); // a download holds a small file's worth until it is read
        }
        assertThat(bytes.full()).isTrue();

        DataAnswers waiting = new DataAnswers();
        waiting.backlogged(true);
        assertThat(waiting.full()).isTrue();
        waiting.backlogged(false);
        assertThat(waiting.full()).isFalse();
    }

    @Test
    void aDownloadHoldsItsSizeOnceReadAndAnUploadCutShortIsDropped() {
        DataItem d = download("/d");
        assertThat(DataAnswers.held(d)).isEqualTo(ProtocolLimits.SMALL_FILE_BYTES);
        answers.add(d);
        answers.settle(d, Reply.of(ReplyCode.FILE_STATUS_OK, "size=2 md5=" + MD5 + " sending /d"), new Body.Bytes("hi".getBytes(), 0));
        assertThat(DataAnswers.held(d)).isEqualTo(2);
        DataItem cut = upload("/cut", 100);
        answers.add(cut);
        answers.dropLast();
        assertThat(text(answers.takeReady(null))).endsWith("hi");
        assertThat(answers.isEmpty()).isTrue();
    }

    @Test
    void aFileBodyStopsTheAnswersAfterItsLine() {
        DataItem big = download("/big");
        DataItem next = download("/next");
        answers.add(big);
        answers.add(next);
        Body.FileRange range = new Body.FileRange(null, null, 0, 10 << 20, Runnable::run);
        answers.settle(big, Reply.of(ReplyCode.FILE_STATUS_OK, "size=10485760 md5=" + MD5 + " sending /big"), range);
        answers.settle(next, Reply.of(ReplyCode.FILE_STATUS_OK, "size=2 md5=" + MD5 + " sending /next"),
                new Body.Bytes("hi".getBytes(), 0));
        assertThat(DataAnswers.held(big)).as("an open file holds a chunk, not its size").isEqualTo(ProtocolLimits.CHUNK_BYTES);
        DataAnswers.Ready first = answers.takeReady(null);
        assertThat(text(first)).isEqualTo("150 size=10485760 md5=" + MD5 + " sending /big\n");
        assertThat(first.file()).isSameAs(big);
        DataAnswers.Ready second = answers.takeReady(null);
        assertThat(text(second)).endsWith("sending /next\nhi");
        assertThat(second.file()).isNull();
    }

    @Test
    void aBodyFromAnOffsetSendsTheRestOnly() {
        DataItem d = (DataItem) BatchLines.parse("DOWNLOAD /d 3");
        answers.add(d);
        answers.settle(d, Reply.of(ReplyCode.FILE_STATUS_OK, "size=5 md5=" + MD5 + " offset=3 sending /d"),
                new Body.Bytes("hello".getBytes(), 3));
        assertThat(text(answers.takeReady(null))).endsWith("sending /d\nlo");
    }

    private static String text(DataAnswers.Ready ready) {
        return new String(ready.bytes(), StandardCharsets.UTF_8);
    }

    private static DataItem upload(String path, int size) {
        return (DataItem) BatchLines.parse("UPLOAD " + path + " " + size + " " + MD5);
    }

    private static DataItem download(String path) {
        return (DataItem) BatchLines.parse("DOWNLOAD " + path);
    }
}
