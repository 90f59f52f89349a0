package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A batch's answers: written in the order named whatever order they are known in, and its flow control. */
class BatchAnswersTest {

    private static final String MD5 = "6f5902ac237024bdd0c176cb93063dc4";

    private final BatchAnswers answers = new BatchAnswers();

    @Test
    void answersGoOutInTheOrderNamedOnceTheFirstIsKnown() {
        BatchItem a = upload("/a", 3);
        BatchItem b = download("/b");
        answers.add(a);
        answers.add(b);
        answers.settle(b, Reply.of(ReplyCode.FILE_STATUS_OK, "size=2 md5=" + MD5 + " sending /b"), "hi".getBytes());
        assertThat(answers.takeReady(null)).as("a is not known yet").isNull();
        answers.settle(a, Reply.of(ReplyCode.TRANSFER_COMPLETE, "size=3 md5=" + MD5 + " stored /a"), null);
        assertThat(new String(answers.takeReady(null), StandardCharsets.UTF_8)).isEqualTo(
                "226 size=3 md5=" + MD5 + " stored /a\n150 size=2 md5=" + MD5 + " sending /b\nhi");
        assertThat(answers.isEmpty()).isTrue();
        assertThat(answers.summary()).isEqualTo("1 stored, 1 sent, 0 refused");
    }

    @Test
    void anUploadRefusedByItsLineIsNotAnsweredBeforeItsBytesAreIn() {
        BatchItem refused = BatchItem.upload(null, 10, null, false, Reply.of(ReplyCode.ARGUMENT_ERROR, "no"));
        answers.add(refused);
        assertThat(answers.takeReady(refused)).isNull();
        assertThat(new String(answers.takeReady(null), StandardCharsets.UTF_8)).isEqualTo("501 no\n");
        assertThat(answers.summary()).isEqualTo("0 stored, 0 sent, 1 refused");
    }

    @Test
    void theBatchIsFullPastItsItemsOrItsBytesOrWhileAnswersWait() {
        for (int i = 0; i < BatchAnswers.MAX_PENDING_FILES - 1; i++) {
            answers.add(upload("/f" + i, 0));
        }
        assertThat(answers.full()).isFalse();
        answers.add(upload("/last", 0));
        assertThat(answers.full()).isTrue();

        BatchAnswers bytes = new BatchAnswers();
        long perFile = ProtocolLimits.SMALL_FILE_BYTES;
        for (long held = 0; held < BatchAnswers.MAX_PENDING_BYTES; held += perFile) {
            assertThat(bytes.full()).isFalse();
            bytes.add(download("/d")); // a download holds a small file's worth until it is read
        }
        assertThat(bytes.full()).isTrue();

        BatchAnswers waiting = new BatchAnswers();
        waiting.backlogged(true);
        assertThat(waiting.full()).isTrue();
        waiting.backlogged(false);
        assertThat(waiting.full()).isFalse();
    }

    @Test
    void aDownloadHoldsItsSizeOnceReadAndAnUploadCutShortIsDropped() {
        BatchItem d = download("/d");
        assertThat(BatchAnswers.held(d)).isEqualTo(ProtocolLimits.SMALL_FILE_BYTES);
        answers.add(d);
        answers.settle(d, Reply.of(ReplyCode.FILE_STATUS_OK, "size=2 md5=" + MD5 + " sending /d"), "hi".getBytes());
        assertThat(BatchAnswers.held(d)).isEqualTo(2);
        BatchItem cut = upload("/cut", 100);
        answers.add(cut);
        answers.dropLast();
        assertThat(new String(answers.takeReady(null), StandardCharsets.UTF_8)).endsWith("hi");
        assertThat(answers.isEmpty()).isTrue();
    }

    private static BatchItem upload(String path, int size) {
        return (BatchItem) BatchLines.parse("UPLOAD " + path + " " + size + " " + MD5);
    }

    private static BatchItem download(String path) {
        return (BatchItem) BatchLines.parse("DOWNLOAD " + path);
    }
}
